namespace Switchyard.Core.Queues;

/// <summary>
/// A token bucket for a <see cref="RateLimit"/>: holds up to <c>Tasks</c> tokens, starts full, and refills
/// <c>Tasks</c> tokens per <c>IntervalMs</c> smoothly. Integer arithmetic in units of 1/IntervalMs token, to the
/// millisecond. Not thread-safe: its owner (a store's claim path) serialises access. Time is passed in.
/// </summary>
public sealed class TokenBucket
{
    private readonly long _perToken;
    private readonly long _refillPerMs;
    private readonly long _capacity;
    private long _level;
    private long _lastMs;

    public TokenBucket(RateLimit rate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rate);
        if (rate.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(rate));
        }

        Rate = rate;
        _perToken = rate.IntervalMs;
        _refillPerMs = rate.Tasks;
        _capacity = rate.Tasks * rate.IntervalMs;
        _level = _capacity;
        _lastMs = now.ToUnixTimeMilliseconds();
    }

    /// <summary>A bucket as a store kept it: <paramref name="level"/> (see <see cref="Level"/>) as of <paramref name="refilledAtMs"/>.</summary>
    public TokenBucket(RateLimit rate, long level, long refilledAtMs)
        : this(rate, DateTimeOffset.FromUnixTimeMilliseconds(refilledAtMs))
    {
        _level = Math.Clamp(level, 0, _capacity);
    }

    public RateLimit Rate { get; }

    /// <summary>What is left, in units of 1/IntervalMs token, as of <see cref="RefilledAtMs"/>: with it, the state a store keeps.</summary>
    public long Level => _level;

    /// <summary>When the level was last brought up to date (Unix milliseconds).</summary>
    public long RefilledAtMs => _lastMs;

    /// <summary>Whole tokens available at <paramref name="now"/>.</summary>
    public long Available(DateTimeOffset now)
    {
        Refill(now);
        return _level / _perToken;
    }

    public bool CanTake(DateTimeOffset now) => Available(now) > 0;

    /// <summary>Takes one token if there is one.</summary>
    public bool TryTake(DateTimeOffset now)
    {
        Refill(now);
        if (_level < _perToken)
        {
            return false;
        }

        _level -= _perToken;
        return true;
    }

    /// <summary>When the next token is available: <paramref name="now"/> when one already is.</summary>
    public DateTimeOffset NextTokenAt(DateTimeOffset now)
    {
        Refill(now);
        if (_level >= _perToken)
        {
            return now;
        }

        var missing = _perToken - _level;
        var waitMs = (missing + _refillPerMs - 1) / _refillPerMs;
        return DateTimeOffset.FromUnixTimeMilliseconds(_lastMs + waitMs);
    }

    private void Refill(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var elapsed = nowMs - _lastMs;
        if (elapsed <= 0)
        {
            // Same millisecond, or the clock went back: no refill, and measure from here on.
            _lastMs = Math.Min(_lastMs, nowMs);
            return;
        }

        _level = elapsed >= _perToken ? _capacity : Math.Min(_capacity, _level + (elapsed * _refillPerMs));
        _lastMs = nowMs;
    }
}
