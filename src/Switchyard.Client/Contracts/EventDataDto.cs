using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts;

/// <summary>
/// The task as an event left it: where it runs and how far it is; its result when completed or in review (left out,
/// with <see cref="ResultOmitted"/>, when larger than the bus carries); its error when failed or waiting for a retry;
/// the reason it was cancelled. Never its payload.
/// </summary>
public sealed record EventDataDto
{
    public required string Type { get; init; }
    public required string Queue { get; init; }
    public required string Group { get; init; }
    public required string Scope { get; init; }
    public required string State { get; init; }
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public int Priority { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public ProgressDto? Progress { get; init; }
    public JsonText? Result { get; init; }
    public bool? ResultOmitted { get; init; }
    public TaskErrorDto? Error { get; init; }
    public string? Reason { get; init; }
}
