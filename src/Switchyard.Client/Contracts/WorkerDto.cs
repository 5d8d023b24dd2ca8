namespace Switchyard.Client.Contracts;

/// <summary>
/// A connected push worker: what it takes, the version it said in hello (if any) and, for a worker of the node asked,
/// its free credits and the tasks it holds. In a cluster <see cref="Node"/> names the node it is connected to; a worker
/// of another node has no <see cref="Credits"/> or <see cref="Tasks"/> (they change too often to share).
/// </summary>
public sealed record WorkerDto(
    string Id,
    string Name,
    string Protocol,
    IReadOnlyList<string> Queues,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Types,
    bool Quiet,
    DateTimeOffset ConnectedAt,
    int? Credits = null,
    IReadOnlyList<string>? Tasks = null,
    string? Version = null,
    string? Node = null);
