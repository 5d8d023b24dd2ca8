namespace Switchyard.Client.Contracts;

/// <summary>Body of <c>POST /api/v1/claims</c>: lease up to <c>maxTasks</c> tasks, waiting up to <c>waitMs</c> for work.</summary>
public sealed record ClaimTasksRequest
{
    public string? WorkerId { get; init; }
    public IReadOnlyList<string>? Queues { get; init; }
    public IReadOnlyList<string>? Groups { get; init; }
    public IReadOnlyList<string>? Types { get; init; }
    public int? MaxTasks { get; init; }
    public long? LeaseMs { get; init; }
    public long? WaitMs { get; init; }
}
