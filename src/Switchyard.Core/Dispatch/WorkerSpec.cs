namespace Switchyard.Core.Dispatch;

/// <summary>
/// What a push worker takes: queues, groups (besides "default"), types (empty = any), and its lease length; with the
/// version it says it runs, if it says one.
/// </summary>
public sealed record WorkerSpec(
    string WorkerId,
    string Name,
    IReadOnlyList<string> Queues,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Types,
    long? LeaseMs,
    string Protocol,
    string? Version = null)
{
    /// <summary>Workers with the same signature see the same queued tasks: when one finds none, the others would too.</summary>
    public string Signature { get; } =
        string.Join('|', string.Join(',', Queues), string.Join(',', Groups), string.Join(',', Types));
}
