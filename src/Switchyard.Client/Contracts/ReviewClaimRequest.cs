namespace Switchyard.Client.Contracts;

/// <summary>Body of <c>POST /api/v1/reviews/claim</c>: lease up to <c>maxTasks</c> unclaimed tasks in review, oldest first.</summary>
public sealed record ReviewClaimRequest
{
    public string? ReviewerId { get; init; }
    public IReadOnlyList<string>? Queues { get; init; }
    public IReadOnlyList<string>? Types { get; init; }
    public int? MaxTasks { get; init; }
    public long? LeaseMs { get; init; }
}
