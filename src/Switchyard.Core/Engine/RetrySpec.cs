using Switchyard.Core.Policies;

namespace Switchyard.Core.Engine;

/// <summary>A client's retry settings; absent fields take <see cref="RetryPolicy.Default"/>'s values.</summary>
public sealed record RetrySpec(BackoffKind? Backoff, long? BaseDelayMs, long? MaxDelayMs, double? Multiplier, double? Jitter)
{
    /// <summary>Error codes that fail the task at once; see <see cref="RetryPolicy.NonRetryableCodes"/>.</summary>
    public IReadOnlyList<string>? NonRetryableCodes { get; init; }

    public RetryPolicy ToPolicy()
    {
        var d = RetryPolicy.Default;
        var baseDelay = BaseDelayMs is { } b ? TimeSpan.FromMilliseconds(b) : d.BaseDelay;
        var maxDelay = MaxDelayMs is { } m ? TimeSpan.FromMilliseconds(m) : (baseDelay > d.MaxDelay ? baseDelay : d.MaxDelay);
        return new RetryPolicy(Backoff ?? d.Kind, baseDelay, maxDelay, Multiplier ?? d.Multiplier, Jitter ?? d.Jitter)
        {
            NonRetryableCodes = NonRetryableCodes ?? [],
        };
    }
}
