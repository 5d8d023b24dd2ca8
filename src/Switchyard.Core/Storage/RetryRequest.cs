using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>
/// Queues a failed or cancelled task again with a fresh attempt count; a task with dependencies waits for them again
/// (and fails at once, keeping its result for <see cref="ResultTtlMs"/>, when one of them failed).
/// </summary>
public sealed record RetryRequest(string TaskId, string? Reason, string? Actor)
{
    public string? Reason { get; init; } = FreeText.Clean(Reason);

    public long ResultTtlMs { get; init; } = Engine.EngineOptions.ResultTtlMsDefault;
}
