using Switchyard.Core.Policies;

namespace Switchyard.Core.Model;

/// <summary>A task as the store holds it. Immutable: a transition produces a new record.</summary>
public sealed record TaskRecord
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string Queue { get; init; } = TaskDefaults.Queue;
    public string Group { get; init; } = TaskDefaults.Group;
    public int Priority { get; init; }
    public JsonText Payload { get; init; } = JsonText.Null;
    public JsonText? Result { get; init; }
    public TaskError? Error { get; init; }
    public required TaskState State { get; init; }
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; } = TaskDefaults.MaxAttempts;
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
    public long? TimeoutMs { get; init; }
    public DateTimeOffset? DeadlineAt { get; init; }
    public long? LeaseMs { get; init; }
    public DateTimeOffset? RunAt { get; init; }
    public string? ParentId { get; init; }

    /// <summary>Ids of the tasks that must complete before this one may run.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = TaskDefaults.NoDependencies;

    public DependencyFailurePolicy OnDependencyFailure { get; init; }
    public string? CorrelationId { get; init; }
    public string? IdempotencyKey { get; init; }
    public ReviewMode Review { get; init; }
    public int RejectionCount { get; init; }

    /// <summary>The rejection that fails the task (marked escalated) instead of queueing it again.</summary>
    public int MaxRejections { get; init; } = TaskDefaults.MaxRejections;

    /// <summary>A reviewer's claim on a task in review: only its holder may accept or reject (admins may force).</summary>
    public Lease? ReviewLease { get; init; }
    public string? Feedback { get; init; }
    public TaskProgress? Progress { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = TaskDefaults.NoLabels;
    public string Scope { get; init; } = TaskDefaults.Scope;
    public Lease? Lease { get; init; }
    public bool CancelRequested { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? ResultExpiresAt { get; init; }

    /// <summary>How long this task's result stays readable once it finishes; null = the engine's default.</summary>
    public long? ResultTtlMs { get; init; }
}
