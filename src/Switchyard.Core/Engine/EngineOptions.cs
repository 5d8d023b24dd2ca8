using Switchyard.Core.Policies;

namespace Switchyard.Core.Engine;

/// <summary>Settings of the engine; bound from the <c>Engine</c> configuration section.</summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";
    public const long DefaultLeaseMsDefault = 30_000;
    public const long MinLeaseMsDefault = 1_000;
    public const long MaxLeaseMsDefault = 3_600_000;
    public const long ResultTtlMsDefault = 86_400_000;
    public const int MaxBatchSizeDefault = 10_000;
    public const int MaxClaimDefault = 1_000;
    public const long MaxClaimWaitMsDefault = 60_000;

    /// <summary>Lease length when neither the claim nor the task names one.</summary>
    public long DefaultLeaseMs { get; set; } = DefaultLeaseMsDefault;

    public long MinLeaseMs { get; set; } = MinLeaseMsDefault;

    /// <summary>Longest lease a claim or heartbeat may ask for; longer requests are clamped.</summary>
    public long MaxLeaseMs { get; set; } = MaxLeaseMsDefault;

    /// <summary>How long finished tasks stay readable.</summary>
    public long ResultTtlMs { get; set; } = ResultTtlMsDefault;

    /// <summary>Waiting tasks a queue may hold when <see cref="MaxQueueLengths"/> names no limit for it; 0 means no limit.</summary>
    public int DefaultMaxQueueLength { get; set; }

    /// <summary>Per-queue limits on waiting tasks.</summary>
    public Dictionary<string, int> MaxQueueLengths { get; init; } = new(StringComparer.Ordinal);

    public int MaxBatchSize { get; set; } = MaxBatchSizeDefault;

    public int MaxClaim { get; set; } = MaxClaimDefault;

    public long MaxClaimWaitMs { get; set; } = MaxClaimWaitMsDefault;

    /// <summary>Deadline (from submission) of a task that names none; null = no deadline.</summary>
    public long? DefaultTimeoutMs { get; set; } = TimeoutPolicy.Native.DefaultMs;

    /// <summary>Requested timeouts below this are raised to it.</summary>
    public long MinTimeoutMs { get; set; } = TimeoutPolicy.Native.MinMs;

    /// <summary>Requested timeouts above this are lowered to it.</summary>
    public long MaxTimeoutMs { get; set; } = TimeoutPolicy.Native.MaxMs;

    /// <summary>Refuse submits of task types that are not registered (types file or <c>/api/v1/task-types</c>).</summary>
    public bool RequireRegisteredTypes { get; set; }

    public TimeoutPolicy Timeouts => new(DefaultTimeoutMs, MinTimeoutMs, MaxTimeoutMs);

    public int? MaxQueueLengthOf(string queue) =>
        MaxQueueLengths.TryGetValue(queue, out var limit) ? limit
        : DefaultMaxQueueLength > 0 ? DefaultMaxQueueLength
        : null;

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MinLeaseMs < 100)
        {
            problems.Add($"MinLeaseMs must be at least 100, not {MinLeaseMs}");
        }

        if (DefaultLeaseMs < MinLeaseMs || DefaultLeaseMs > MaxLeaseMs)
        {
            problems.Add($"DefaultLeaseMs must lie between MinLeaseMs ({MinLeaseMs}) and MaxLeaseMs ({MaxLeaseMs}), not {DefaultLeaseMs}");
        }

        if (ResultTtlMs < 0)
        {
            problems.Add($"ResultTtlMs must not be negative, not {ResultTtlMs}");
        }

        if (DefaultMaxQueueLength < 0 || MaxQueueLengths.Values.Any(v => v < 0))
        {
            problems.Add("queue lengths must not be negative");
        }

        if (MaxBatchSize < 1)
        {
            problems.Add($"MaxBatchSize must be at least 1, not {MaxBatchSize}");
        }

        if (MaxClaim < 1)
        {
            problems.Add($"MaxClaim must be at least 1, not {MaxClaim}");
        }

        if (Timeouts.Validate() is { } timeoutProblem)
        {
            problems.Add(timeoutProblem);
        }

        return problems;
    }
}
