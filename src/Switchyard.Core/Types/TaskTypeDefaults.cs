using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Core.Types;

/// <summary>What a task type fills into the tasks of its type that leave these fields unset; null fields fill nothing.</summary>
public sealed record TaskTypeDefaults
{
    public static TaskTypeDefaults None { get; } = new();

    public string? Queue { get; init; }
    public string? Group { get; init; }
    public int? Priority { get; init; }
    public long? TimeoutMs { get; init; }
    public long? LeaseMs { get; init; }
    public int? MaxAttempts { get; init; }
    public RetrySpec? Retry { get; init; }
    public ReviewMode? Review { get; init; }

    /// <summary><paramref name="spec"/> with every field it left unset taken from these defaults (retry field by field).</summary>
    public SubmitTask FillInto(SubmitTask spec) => spec with
    {
        Queue = spec.Queue ?? Queue,
        Group = spec.Group ?? Group,
        Priority = spec.Priority ?? Priority,
        TimeoutMs = spec.TimeoutMs ?? TimeoutMs,
        LeaseMs = spec.LeaseMs ?? LeaseMs,
        MaxAttempts = spec.MaxAttempts ?? MaxAttempts,
        Retry = Merge(spec.Retry, Retry),
        Review = spec.Review ?? Review,
    };

    private static RetrySpec? Merge(RetrySpec? asked, RetrySpec? fallback) =>
        asked is null || fallback is null
            ? asked ?? fallback
            : new RetrySpec(
                asked.Backoff ?? fallback.Backoff,
                asked.BaseDelayMs ?? fallback.BaseDelayMs,
                asked.MaxDelayMs ?? fallback.MaxDelayMs,
                asked.Multiplier ?? fallback.Multiplier,
                asked.Jitter ?? fallback.Jitter);
}
