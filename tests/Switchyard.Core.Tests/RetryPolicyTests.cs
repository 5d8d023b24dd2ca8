using CsCheck;
using Switchyard.Core.Policies;

namespace Switchyard.Core.Tests;

public sealed class RetryPolicyTests
{
    private const long Day = 86_400_000;

    /// <summary>Rounding to whole milliseconds may move a delay by half a millisecond.</summary>
    private const double RoundingMs = 0.5;

    private static readonly Gen<BackoffKind> Kinds = Gen.OneOf(Gen.Const(BackoffKind.Fixed), Gen.Const(BackoffKind.Exponential));

    private static readonly Gen<RetryPolicy> ValidPolicies =
        from kind in Kinds
        from baseMs in Gen.OneOf(Gen.Const(0L), Gen.Long[0, 1_000], Gen.Long[0, Day])
        from extraMs in Gen.OneOf(Gen.Const(0L), Gen.Long[0, 10_000], Gen.Long[0, 7 * Day])
        from multiplier in Gen.OneOf(Gen.Const(1.0), Gen.Const(2.0), Gen.Double[1, 10])
        from jitter in Gen.OneOf(Gen.Const(0.0), Gen.Const(1.0), Gen.Double[0, 1])
        select new RetryPolicy(kind, TimeSpan.FromMilliseconds(baseMs), TimeSpan.FromMilliseconds(baseMs + extraMs), multiplier, jitter);

    private static readonly Gen<RetryPolicy> Policies =
        Gen.Frequency((1, Gen.Const(RetryPolicy.Default)), (1, Gen.Const(RetryPolicy.Immediate)), (6, ValidPolicies));

    private static readonly Gen<int> Attempts = Gen.OneOf(Gen.Int[1, 10], Gen.Int[1, 1_000], Gen.Const(1_000), Gen.Int[1_000, int.MaxValue]);

    private static readonly Gen<double> Samples = Gen.OneOf(Gen.Const(0.0), Gen.Const(0.5), Gen.Double.Unit, Gen.Const(Math.BitDecrement(1.0)));

    private static readonly RetryPolicy Usable = new(BackoffKind.Exponential, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 2, 0.2);

    private static readonly Dictionary<string, RetryPolicy> BadPolicies = new(StringComparer.Ordinal)
    {
        ["negative base"] = Usable with { BaseDelay = TimeSpan.FromMilliseconds(-1) },
        ["negative max"] = Usable with { MaxDelay = TimeSpan.FromMilliseconds(-1) },
        ["max below base"] = Usable with { MaxDelay = TimeSpan.FromMilliseconds(999) },
        ["multiplier below one"] = Usable with { Multiplier = 0.99 },
        ["multiplier NaN"] = Usable with { Multiplier = double.NaN },
        ["multiplier infinite"] = Usable with { Multiplier = double.PositiveInfinity },
        ["negative jitter"] = Usable with { Jitter = -0.01 },
        ["jitter above one"] = Usable with { Jitter = 1.01 },
        ["jitter NaN"] = Usable with { Jitter = double.NaN },
    };

    [Fact]
    public void DelayAfter_AnyValidPolicy_NeverNegativeNorAboveMax()
    {
        Gen.Select(Policies, Attempts, Samples).Sample((policy, attempt, sample) =>
        {
            Assert.Null(policy.Validate());
            var delay = policy.DelayAfter(attempt, sample);
            Assert.InRange(delay, TimeSpan.Zero, policy.MaxDelay);
        }, iter: 1_000);
    }

    [Fact]
    public void DelayAfter_Fixed_IgnoresAttempt()
    {
        var fixedPolicies = ValidPolicies.Select(p => p with { Kind = BackoffKind.Fixed });
        Gen.Select(fixedPolicies, Attempts, Samples).Sample((policy, attempt, sample) =>
        {
            Assert.Equal(policy.DelayAfter(1, sample), policy.DelayAfter(attempt, sample));
            var unjittered = policy.DelayAfter(attempt, 0.5);
            Assert.Equal(Math.Round(Math.Min(policy.BaseDelay.TotalMilliseconds, policy.MaxDelay.TotalMilliseconds)), unjittered.TotalMilliseconds);
        }, iter: 500);
    }

    [Fact]
    public void DelayAfter_ExponentialWithoutJitter_NonDecreasingInAttempt()
    {
        var exponential = ValidPolicies.Select(p => p with { Kind = BackoffKind.Exponential, Jitter = 0 });
        Gen.Select(exponential, Attempts).Sample((policy, attempt) =>
        {
            var next = attempt == int.MaxValue ? attempt : attempt + 1;
            Assert.True(policy.DelayAfter(attempt, 0.5) <= policy.DelayAfter(next, 0.5),
                $"delay after attempt {attempt} exceeds the delay after attempt {next}");
            Assert.Equal(policy.DelayAfter(attempt, 0.0), policy.DelayAfter(attempt, 0.5));
        }, iter: 1_000);
    }

    [Fact]
    public void DelayAfter_AnySample_WithinJitterOfUnjitteredValue()
    {
        Gen.Select(Policies, Attempts, Samples).Sample((policy, attempt, sample) =>
        {
            var unjittered = policy.DelayAfter(attempt, 0.5).TotalMilliseconds;
            var delay = policy.DelayAfter(attempt, sample).TotalMilliseconds;
            var spread = (policy.Jitter * (unjittered + RoundingMs)) + (2 * RoundingMs);
            Assert.InRange(delay, unjittered - spread, Math.Min(unjittered + spread, policy.MaxDelay.TotalMilliseconds));
        }, iter: 1_000);
    }

    [Fact]
    public void DelayAfter_SampleExtremes_ReachJitterBounds()
    {
        var policy = new RetryPolicy(BackoffKind.Fixed, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), 1, 0.2);

        Assert.Equal(TimeSpan.FromSeconds(8), policy.DelayAfter(1, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayAfter(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(12), policy.DelayAfter(1, 1.0));
    }

    [Fact]
    public void DelayAfter_JitterAboveMax_CappedAtMax()
    {
        var policy = new RetryPolicy(BackoffKind.Fixed, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), 1, 0.5);

        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayAfter(1, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.DelayAfter(1, 0.0));
    }

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(4, 8_000)]
    [InlineData(5, 10_000)]
    [InlineData(50, 10_000)]
    public void DelayAfter_ExponentialDoubling_GrowsThenCaps(int attempt, long expectedMs)
    {
        var policy = new RetryPolicy(BackoffKind.Exponential, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 2, 0);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), policy.DelayAfter(attempt, 0.5));
    }

    [Fact]
    public void DelayAfter_ZeroBaseWithOverflowingGrowth_Zero()
    {
        // 8^999 overflows to infinity; 0 × infinity must not turn into NaN.
        var policy = new RetryPolicy(BackoffKind.Exponential, TimeSpan.Zero, TimeSpan.FromHours(1), 8, 0.2);

        Assert.Equal(TimeSpan.Zero, policy.DelayAfter(1_000, 0.9));
    }

    [Fact]
    public void DelayAfter_AttemptBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Default.DelayAfter(0, 0.5));

    [Fact]
    public void Validate_BuiltInPolicies_Usable()
    {
        Assert.Null(RetryPolicy.Default.Validate());
        Assert.Null(RetryPolicy.Immediate.Validate());
    }

    public static TheoryData<string> BadPolicyNames() => new(BadPolicies.Keys);

    [Theory]
    [MemberData(nameof(BadPolicyNames))]
    public void Validate_BadPolicy_SaysWhy(string name)
    {
        Assert.Null(Usable.Validate());
        Assert.False(string.IsNullOrWhiteSpace(BadPolicies[name].Validate()));
    }
}
