using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts;

/// <summary>A task on the wire (REST <c>/api/v1</c>). Times are RFC 3339 UTC.</summary>
public sealed record TaskDto
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Queue { get; init; }
    public required string Group { get; init; }
    public int Priority { get; init; }
    public required string State { get; init; }
    public JsonText Payload { get; init; } = JsonText.Null;
    public JsonText? Result { get; init; }
    public TaskErrorDto? Error { get; init; }
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public RetryDto? Retry { get; init; }
    public long? TimeoutMs { get; init; }
    public DateTimeOffset? DeadlineAt { get; init; }
    public long? LeaseMs { get; init; }
    public DateTimeOffset? RunAt { get; init; }
    public string? ParentId { get; init; }
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public string OnDependencyFailure { get; init; } = "fail";
    public string? CorrelationId { get; init; }
    public string? IdempotencyKey { get; init; }
    public string Review { get; init; } = "none";
    public int RejectionCount { get; init; }
    public string? Feedback { get; init; }
    public int MaxRejections { get; init; } = TaskDefaults.MaxRejections;

    /// <summary>True when the task failed because its result was rejected <see cref="MaxRejections"/> times.</summary>
    public bool Escalated { get; init; }

    /// <summary>The reviewer holding the task in review, if any.</summary>
    public LeaseDto? ReviewLease { get; init; }
    public ProgressDto? Progress { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string Scope { get; init; } = TaskDefaults.Scope;
    public LeaseDto? Lease { get; init; }
    public bool CancelRequested { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? ResultExpiresAt { get; init; }
    public long? ResultTtlMs { get; init; }
}
