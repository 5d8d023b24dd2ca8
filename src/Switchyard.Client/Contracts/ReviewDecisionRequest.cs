namespace Switchyard.Client.Contracts;

/// <summary>
/// Body of <c>POST /api/v1/tasks/{id}/accept</c> and <c>/reject</c>. <c>feedback</c> is required to reject and shown to the
/// next attempt; <c>leaseToken</c> is the review lease from <c>POST /api/v1/reviews/claim</c>; <c>force</c> (admin keys only)
/// decides even when another reviewer holds the task.
/// </summary>
public sealed record ReviewDecisionRequest(string? Feedback = null, long? LeaseToken = null, bool? Force = null);
