using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>Cancels a task that has not finished.</summary>
public sealed record CancelRequest(string TaskId, string? Reason, long ResultTtlMs, string? Actor)
{
    public string? Reason { get; init; } = FreeText.Clean(Reason);
}
