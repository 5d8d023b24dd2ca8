namespace Switchyard.Bench.Workloads;

/// <summary>
/// One result file: one system setting (here: Switchyard with one store and durability) and its runs of every
/// workload, in the shape the peers' results use, so their table tool reads it too.
/// </summary>
public sealed record ResultDocument
{
    public required string System { get; init; }
    public required string Label { get; init; }
    public required string StartedAt { get; init; }
    public required IReadOnlyDictionary<string, string> Versions { get; init; }
    public required string Server { get; init; }
    public required IReadOnlyDictionary<string, string> Durability { get; init; }
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
    public required string Completion { get; init; }
    public required string Worker { get; init; }
    public required WorkloadConstants WorkloadConstants { get; init; }
    public required IReadOnlyDictionary<string, WorkloadSlot> Workloads { get; init; }
    public string? FinishedAt { get; init; }
}
