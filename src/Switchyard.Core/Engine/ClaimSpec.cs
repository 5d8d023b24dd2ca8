namespace Switchyard.Core.Engine;

/// <summary>A pull worker's claim: where it takes work from, how much, and how long it will wait for some.</summary>
public sealed record ClaimSpec
{
    public required string WorkerId { get; init; }
    public IReadOnlyList<string> Queues { get; init; } = [Model.TaskDefaults.Queue];
    public IReadOnlyList<string> Groups { get; init; } = [];
    public IReadOnlyList<string> Types { get; init; } = [];
    public int MaxTasks { get; init; } = 1;
    public long? LeaseMs { get; init; }
    public long WaitMs { get; init; }
}
