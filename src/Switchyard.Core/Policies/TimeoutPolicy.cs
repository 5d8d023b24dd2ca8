namespace Switchyard.Core.Policies;

/// <summary>
/// Normalises a requested timeout (milliseconds, counted from submission): a requested value is
/// clamped to [<see cref="MinMs"/>, <see cref="MaxMs"/>] (bounds inclusive); an absent one becomes
/// <see cref="DefaultMs"/> unclamped (null = no deadline).
/// </summary>
public sealed record TimeoutPolicy(long? DefaultMs, long MinMs, long MaxMs)
{
    /// <summary>Switchyard's own API: no deadline unless asked for; up to 30 days.</summary>
    public static TimeoutPolicy Native { get; } = new(null, 1_000, 30L * 24 * 3600 * 1000);

    /// <summary>The dispatcher dialect's defaults (TASK_TIMEOUT_MS, MIN_TASK_TIMEOUT_MS, MAX_TASK_TIMEOUT_MS).</summary>
    public static TimeoutPolicy Dispatcher { get; } = new(60_000, 5_000, 600_000);

    public long? Normalize(long? requestedMs)
    {
        if (requestedMs is not { } requested)
        {
            return DefaultMs;
        }

        if (requested < MinMs)
        {
            return MinMs;
        }

        return requested > MaxMs ? MaxMs : requested;
    }

    public string? Validate() =>
        MinMs < 0 ? "minimum timeout must not be negative"
        : MaxMs < MinMs ? "maximum timeout must be at least the minimum"
        : DefaultMs is < 0 ? "default timeout must not be negative"
        : null;
}
