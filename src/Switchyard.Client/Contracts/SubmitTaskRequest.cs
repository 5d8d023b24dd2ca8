using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts;

/// <summary>Body of <c>POST /api/v1/tasks</c>; only <c>type</c> is required.</summary>
public sealed record SubmitTaskRequest
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Queue { get; init; }
    public string? Group { get; init; }
    public int? Priority { get; init; }
    public JsonText? Payload { get; init; }
    public int? MaxAttempts { get; init; }
    public RetryDto? Retry { get; init; }
    public long? TimeoutMs { get; init; }
    public long? LeaseMs { get; init; }
    public DateTimeOffset? RunAt { get; init; }
    public long? DelayMs { get; init; }
    public string? IdempotencyKey { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public string? CorrelationId { get; init; }
    public string? ParentId { get; init; }
    public string? Review { get; init; }
    public string? Scope { get; init; }
    public long? ResultTtlMs { get; init; }
}
