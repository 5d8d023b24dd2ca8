using Switchyard.Core.Model;
using Switchyard.Core.Policies;

namespace Switchyard.Core.Engine;

/// <summary>What a client asks for when it submits a task; the broker validates it and fills defaults.</summary>
public sealed record SubmitTask
{
    public string? Id { get; init; }
    public required string Type { get; init; }
    public string? Queue { get; init; }
    public string? Group { get; init; }
    public int? Priority { get; init; }
    public JsonText? Payload { get; init; }
    public int? MaxAttempts { get; init; }
    public RetrySpec? Retry { get; init; }
    public long? TimeoutMs { get; init; }

    /// <summary>How <see cref="TimeoutMs"/> is normalised; null = the engine's <c>Engine:*TimeoutMs</c> settings. A dialect passes its own.</summary>
    public TimeoutPolicy? Timeouts { get; init; }

    public long? LeaseMs { get; init; }
    public DateTimeOffset? RunAt { get; init; }
    public long? DelayMs { get; init; }
    public string? IdempotencyKey { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public string? CorrelationId { get; init; }
    public string? ParentId { get; init; }

    /// <summary>Ids of tasks that must complete first: existing tasks, or tasks of the same batch by their client ids.</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }

    public DependencyFailurePolicy? OnDependencyFailure { get; init; }

    public int? MaxRejections { get; init; }
    public ReviewMode? Review { get; init; }
    public string? Scope { get; init; }
    public long? ResultTtlMs { get; init; }
}
