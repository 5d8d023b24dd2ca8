using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>
/// Accepts or rejects a task in review. <paramref name="LeaseToken"/> is the reviewer's review lease, if it claimed one;
/// <paramref name="Force"/> (admins only) decides even when another reviewer holds the task.
/// </summary>
/// <param name="Feedback">Why the result was rejected; shown to the next attempt. Required to reject.</param>
public sealed record ReviewRequest(string TaskId, long? LeaseToken, bool Force, string? Feedback, long ResultTtlMs, string? Actor)
{
    public string? Feedback { get; init; } = FreeText.Clean(Feedback);
}
