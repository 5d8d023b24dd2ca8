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

    /// <summary>Tasks that must complete first: ids of stored tasks or of tasks in the same batch.</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }

    /// <summary><c>fail</c> (default), <c>cancel</c> or <c>ignore</c>: what a failed or cancelled dependency does to this task.</summary>
    public string? OnDependencyFailure { get; init; }

    /// <summary>The rejection that fails the task (escalated) instead of running it again; default 3.</summary>
    public int? MaxRejections { get; init; }
    public string? Review { get; init; }
    public string? Scope { get; init; }
    public long? ResultTtlMs { get; init; }
}
