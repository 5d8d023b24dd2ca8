using CsCheck;
using Switchyard.Bench.Workloads;

namespace Switchyard.Tests;

public sealed class StatisticsTests
{
    private static readonly double[] OneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    [Theory]
    [InlineData(50, 5)]
    [InlineData(95, 10)]
    [InlineData(99, 10)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(0, 1)]
    [InlineData(100, 10)]
    public void Percentile_OneToTen_IsNearestRank(double p, double expected) =>
        Assert.Equal(expected, Statistics.Percentile(OneToTen, p));

    [Fact]
    public void Percentile_TwentyValues_P95IsTheNineteenth()
    {
        var values = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();

        Assert.Equal(19, Statistics.Percentile(values, 95));
        Assert.Equal(20, Statistics.Percentile(values, 99));
        Assert.Equal(10, Statistics.Percentile(values, 50));
    }

    [Fact]
    public void Percentile_NoValues_IsNaN() => Assert.True(double.IsNaN(Statistics.Percentile([], 50)));

    [Fact]
    public void Percentile_AnySortedValues_IsTheSmallestValueWithAtLeastThatShareAtOrBelowIt() =>
        Gen.Double[0, 1_000].Array[1, 200].Select(Gen.Int[1, 100]).Sample((values, p) =>
        {
            Array.Sort(values);
            var v = Statistics.Percentile(values, p);
            var share = p / 100.0 * values.Length;
            return values.Count(x => x <= v) >= share && values.Count(x => x < v) < share;
        });

    [Fact]
    public void Median_OddCount_IsTheMiddleOne() => Assert.Equal(3, Statistics.Median([5, 1, 3]));

    [Fact]
    public void Median_EvenCount_IsTheMeanOfTheTwoMiddleOnes() => Assert.Equal(2.5, Statistics.Median([4, 1, 3, 2]));

    [Fact]
    public void Median_NoValues_Throws() => Assert.Throws<ArgumentException>(() => Statistics.Median([]));

    [Fact]
    public void SpreadOf_Values_GivesMedianMinAndMaxOfTheFiniteOnes()
    {
        Assert.Equal(new Spread(5_980, 5_836, 7_466), Statistics.SpreadOf([5_980, double.NaN, 7_466, 5_836]));
        Assert.Null(Statistics.SpreadOf([double.NaN]));
    }

    [Theory]
    [InlineData(0.125, 2, 0.13)]
    [InlineData(2.345, 2, 2.35)]
    [InlineData(1.005, 2, 1.0)]
    [InlineData(2.675, 2, 2.68)]
    [InlineData(12.05, 1, 12.1)]
    [InlineData(7.0, 2, 7.0)]
    public void RoundHalfUp_Value_MatchesJavaScriptMathRound(double value, int decimals, double expected) =>
        Assert.Equal(expected, Statistics.RoundHalfUp(value, decimals));

    [Fact]
    public void LatencySummary_OneToHundred_GivesNearestRankPercentilesAndMax()
    {
        var summary = LatencySummary.Of(Enumerable.Range(1, 100).Select(i => (double)i).Reverse());

        Assert.Equal(new LatencySummary(100, 50, 95, 99, 100), summary);
    }

    [Fact]
    public void LatencySummary_RoundsToHundredthsOfAMillisecond() =>
        Assert.Equal(new LatencySummary(1, 1.23, 1.23, 1.23, 1.23), LatencySummary.Of([1.2345]));

    [Fact]
    public void LatencySummary_NoValues_HasCountZeroAndNoPercentiles() =>
        Assert.Equal(new LatencySummary(0, null, null, null, null), LatencySummary.Of([]));
}
