using Switchyard.Core.Model;

namespace Switchyard.Core.Policies;

/// <summary>
/// Delay before attempt n+1 after attempt n failed with a retryable error: fixed, or exponential
/// (base × multiplier^(n-1)), capped at <see cref="MaxDelay"/>, then spread by ± <see cref="Jitter"/>.
/// </summary>
public sealed record RetryPolicy(BackoffKind Kind, TimeSpan BaseDelay, TimeSpan MaxDelay, double Multiplier, double Jitter)
{
    public const double DefaultMultiplier = 2.0;
    public const double DefaultJitter = 0.2;

    public static RetryPolicy Default { get; } =
        new(BackoffKind.Exponential, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), DefaultMultiplier, DefaultJitter);

    /// <summary>No delay at all: a failed attempt goes straight back to the queue.</summary>
    public static RetryPolicy Immediate { get; } = new(BackoffKind.Fixed, TimeSpan.Zero, TimeSpan.Zero, 1, 0);

    public const int MaxNonRetryableCodes = 100;

    /// <summary>Error codes that fail the task at once, even when the worker marked the error retryable.</summary>
    public IReadOnlyList<string> NonRetryableCodes { get; init; } = [];

    public bool IsNonRetryable(string code)
    {
        foreach (var nonRetryable in NonRetryableCodes)
        {
            if (string.Equals(nonRetryable, code, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns a description of what is wrong, or null when the policy is usable.</summary>
    public string? Validate()
    {
        if (BaseDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero)
        {
            return "retry delays must not be negative";
        }

        if (MaxDelay < BaseDelay)
        {
            return "retry maxDelayMs must be at least baseDelayMs";
        }

        if (Multiplier < 1 || double.IsNaN(Multiplier) || double.IsInfinity(Multiplier))
        {
            return "retry multiplier must be a finite number of at least 1";
        }

        if (Jitter is < 0 or > 1 || double.IsNaN(Jitter))
        {
            return "retry jitter must be between 0 and 1";
        }

        if (NonRetryableCodes.Count > MaxNonRetryableCodes || NonRetryableCodes.Any(c => string.IsNullOrEmpty(c) || c.Length > TaskDefaults.MaxNameLength))
        {
            return $"retry nonRetryableCodes holds at most {MaxNonRetryableCodes} non-empty codes of at most {TaskDefaults.MaxNameLength} characters";
        }

        return null;
    }

    /// <param name="failedAttempt">The attempt that just failed, counted from 1.</param>
    /// <param name="unitSample">A uniform sample in [0, 1) that spreads the delay (pass 0.5 for none).</param>
    public TimeSpan DelayAfter(int failedAttempt, double unitSample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        var baseMs = BaseDelay.TotalMilliseconds;
        // A zero base stays zero: 0 × an overflowed power (∞) would be NaN, which TimeSpan refuses.
        var raw = Kind == BackoffKind.Fixed || baseMs == 0
            ? baseMs
            : baseMs * Math.Pow(Multiplier, Math.Min(failedAttempt - 1, 1000));
        var capped = Math.Min(raw, MaxDelay.TotalMilliseconds);
        var spread = capped * (1 + (Jitter * ((2 * Math.Clamp(unitSample, 0, 1)) - 1)));
        var ms = Math.Clamp(spread, 0, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Round(ms));
    }
}
