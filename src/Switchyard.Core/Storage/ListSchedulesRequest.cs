namespace Switchyard.Core.Storage;

/// <summary>A page of schedules by id: up to <see cref="Limit"/> after <see cref="After"/> (exclusive).</summary>
public sealed record ListSchedulesRequest(string? After, int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
