namespace Switchyard.Client.Contracts;

/// <summary>A connected push worker: what it takes, its free credits, the tasks it holds, and the version it said in hello (if any).</summary>
public sealed record WorkerDto(
    string Id,
    string Name,
    string Protocol,
    IReadOnlyList<string> Queues,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Types,
    int Credits,
    IReadOnlyList<string> Tasks,
    bool Quiet,
    DateTimeOffset ConnectedAt,
    string? Version = null);
