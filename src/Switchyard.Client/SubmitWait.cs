namespace Switchyard.Client;

/// <summary>How long a submit waits for its task to settle (completed, failed, cancelled, or held for review).</summary>
public readonly record struct SubmitWait
{
    private SubmitWait(TimeSpan duration) => Duration = duration;

    /// <summary>Answer at once with the stored task (HTTP 202).</summary>
    public static SubmitWait None => default;

    /// <summary>Wait until the task settles, or its deadline passes.</summary>
    public static SubmitWait UntilSettled { get; } = new(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// How long to wait: <see langword="null"/> for no wait, <see cref="Timeout.InfiniteTimeSpan"/> until settled.
    /// </summary>
    public TimeSpan? Duration { get; }

    /// <summary>Wait up to <paramref name="duration"/>; the task comes back unsettled when it takes longer.</summary>
    public static SubmitWait For(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return new(duration);
    }
}
