namespace Switchyard.Client.Contracts;

/// <summary>A connected push worker: what it takes, its free credits and the tasks it holds.</summary>
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
    DateTimeOffset ConnectedAt);
