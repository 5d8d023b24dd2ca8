namespace Switchyard.Core.Queues;

/// <summary>At most <see cref="Tasks"/> tasks started per <see cref="IntervalMs"/>, refilled smoothly; a full bucket allows a burst of <see cref="Tasks"/>.</summary>
public sealed record RateLimit(int Tasks, long IntervalMs)
{
    public const int MaxTasks = 1_000_000;
    public const long MaxIntervalMs = 86_400_000;

    /// <summary>Null when usable, else what is wrong.</summary>
    public string? Validate() =>
        Tasks is < 1 or > MaxTasks ? $"tasks must be between 1 and {MaxTasks}"
        : IntervalMs is < 1 or > MaxIntervalMs ? $"intervalMs must be between 1 and {MaxIntervalMs} (one day)"
        : null;
}
