using CsCheck;
using Switchyard.Core.Policies;

namespace Switchyard.Core.Tests;

public sealed class TimeoutPolicyTests
{
    private const long Day = 86_400_000;

    private static readonly Gen<TimeoutPolicy> RandomPolicy =
        from min in Gen.Long[0, Day]
        from width in Gen.OneOf(Gen.Const<long>(0), Gen.Long[0, 30 * Day])
        from hasDefault in Gen.Bool
        from defaultMs in Gen.Long[0, 60 * Day]
        select new TimeoutPolicy(hasDefault ? defaultMs : null, min, min + width);

    private static readonly Gen<TimeoutPolicy> Policies =
        Gen.Frequency((1, Gen.Const(TimeoutPolicy.Native)), (1, Gen.Const(TimeoutPolicy.Dispatcher)), (3, RandomPolicy));

    /// <summary>A requested timeout around the policy's bounds: absent, on a bound, just off one, or anywhere.</summary>
    private static Gen<long?> RequestFor(TimeoutPolicy p) => Gen.OneOf(
        Gen.Const((long?)null),
        Gen.Const<long?>(p.MinMs),
        Gen.Const<long?>(p.MaxMs),
        Gen.Const<long?>(p.MinMs - 1),
        Gen.Const<long?>(p.MaxMs + 1),
        Gen.Long[p.MinMs, p.MaxMs].Select(v => (long?)v),
        Gen.Long[long.MinValue / 2, p.MinMs].Select(v => (long?)v),
        Gen.Long[p.MaxMs, long.MaxValue / 2].Select(v => (long?)v));

    [Fact]
    public void Normalize_AnyPolicyAndRequest_ClampsPresentAndDefaultsAbsent()
    {
        var cases = from p in Policies
                    from requested in RequestFor(p)
                    select (p, requested);

        cases.Sample((p, requested) =>
        {
            Assert.Null(p.Validate());
            var normalized = p.Normalize(requested);
            switch (requested)
            {
                case null:
                    Assert.Equal(p.DefaultMs, normalized);
                    break;
                case var r when r < p.MinMs:
                    Assert.Equal(p.MinMs, normalized);
                    break;
                case var r when r > p.MaxMs:
                    Assert.Equal(p.MaxMs, normalized);
                    break;
                default:
                    Assert.Equal(requested, normalized);
                    break;
            }
        }, iter: 1_000);
    }

    [Fact]
    public void Normalize_AbsentDefaultOutsideBounds_DefaultKeptUnclamped()
    {
        var policy = new TimeoutPolicy(10, 1_000, 2_000);

        Assert.Equal(10, policy.Normalize(null));
        Assert.Null(TimeoutPolicy.Native.Normalize(null));
        Assert.Equal(60_000, TimeoutPolicy.Dispatcher.Normalize(null));
    }

    [Theory]
    [InlineData(4_999L, 5_000L)]
    [InlineData(5_000L, 5_000L)]
    [InlineData(5_001L, 5_001L)]
    [InlineData(599_999L, 599_999L)]
    [InlineData(600_000L, 600_000L)]
    [InlineData(600_001L, 600_000L)]
    [InlineData(0L, 5_000L)]
    public void Normalize_DispatcherBounds_Inclusive(long requested, long expected) =>
        Assert.Equal(expected, TimeoutPolicy.Dispatcher.Normalize(requested));

    [Theory]
    [InlineData(-1L, 10L, null)]
    [InlineData(0L, -1L, null)]
    [InlineData(10L, 20L, -1L)]
    public void Validate_BadPolicy_SaysWhy(long minMs, long maxMs, long? defaultMs)
    {
        var problem = new TimeoutPolicy(defaultMs, minMs, maxMs).Validate();

        Assert.False(string.IsNullOrWhiteSpace(problem));
    }
}
