using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Queues;

namespace Switchyard.Core.Tests;

public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _time = new(TestTasks.T0);

    [Fact]
    public void TryTake_FullBucket_AllowsABurstOfItsSizeThenRefuses()
    {
        var bucket = new TokenBucket(new RateLimit(3, 1_000), _time.GetUtcNow());

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => bucket.TryTake(_time.GetUtcNow())));
    }

    [Fact]
    public void TryTake_Empty_OneTokenPerIntervalOverTasks()
    {
        var bucket = new TokenBucket(new RateLimit(4, 1_000), _time.GetUtcNow());
        while (bucket.TryTake(_time.GetUtcNow()))
        {
        }

        Assert.Equal(_time.GetUtcNow().AddMilliseconds(250), bucket.NextTokenAt(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(bucket.TryTake(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake(_time.GetUtcNow()));
        Assert.False(bucket.TryTake(_time.GetUtcNow()));
    }

    [Fact]
    public void NextTokenAt_UnevenRefill_RoundsUpToTheMillisecond()
    {
        var bucket = new TokenBucket(new RateLimit(3, 1_000), _time.GetUtcNow());
        for (var i = 0; i < 3; i++)
        {
            bucket.TryTake(_time.GetUtcNow());
        }

        var due = bucket.NextTokenAt(_time.GetUtcNow());

        Assert.Equal(_time.GetUtcNow().AddMilliseconds(334), due); // 1000/3 ms, rounded up
        _time.Advance(due - _time.GetUtcNow());
        Assert.True(bucket.TryTake(_time.GetUtcNow()));
    }

    [Fact]
    public void Available_LongIdle_CappedAtTheBurst()
    {
        var bucket = new TokenBucket(new RateLimit(2, 60_000), _time.GetUtcNow());
        bucket.TryTake(_time.GetUtcNow());
        bucket.TryTake(_time.GetUtcNow());

        _time.Advance(TimeSpan.FromDays(3));

        Assert.Equal(2, bucket.Available(_time.GetUtcNow()));
    }

    [Fact]
    public void TryTake_ClockGoesBack_NoTokensInvented()
    {
        var bucket = new TokenBucket(new RateLimit(1, 1_000), _time.GetUtcNow());
        Assert.True(bucket.TryTake(_time.GetUtcNow()));

        var earlier = _time.GetUtcNow().AddMinutes(-10);
        Assert.False(bucket.TryTake(earlier));
        Assert.False(bucket.TryTake(earlier.AddMilliseconds(999)));
        Assert.True(bucket.TryTake(earlier.AddMilliseconds(1_000)));
    }

    [Fact]
    public void Constructor_StoredState_ContinuesWhereTheStoredBucketLeftOff()
    {
        var rate = new RateLimit(4, 1_000);
        var bucket = new TokenBucket(rate, _time.GetUtcNow());
        bucket.TryTake(_time.GetUtcNow());
        bucket.TryTake(_time.GetUtcNow());
        bucket.TryTake(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromMilliseconds(100));

        var again = new TokenBucket(rate, bucket.Level, bucket.RefilledAtMs);

        Assert.Equal(bucket.NextTokenAt(_time.GetUtcNow()), again.NextTokenAt(_time.GetUtcNow()));
        Assert.Equal([true, false], Enumerable.Range(0, 2).Select(_ => again.TryTake(_time.GetUtcNow())));
        Assert.Equal(_time.GetUtcNow().AddMilliseconds(150), again.NextTokenAt(_time.GetUtcNow()));
    }

    [Fact]
    public void Constructor_InvalidRate_Refused() =>
        Assert.Throws<ArgumentException>(() => new TokenBucket(new RateLimit(0, 1_000), _time.GetUtcNow()));
}
