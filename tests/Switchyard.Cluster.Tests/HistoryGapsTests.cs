using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

public sealed class HistoryGapsTests
{
    [Fact]
    public void Accept_BeforeTheStart_DeliversWithoutTracking()
    {
        var gaps = new HistoryGaps();
        Assert.True(gaps.Accept(5, 0));
        Assert.Equal(0, gaps.GapCount);
    }

    [Fact]
    public void Accept_AJumpAhead_OpensAGapThatLaterNoticesClose()
    {
        var gaps = Started(10);
        Assert.True(gaps.Accept(14, 100));
        Assert.Equal([(11L, 13L)], gaps.Due(100));
        Assert.True(gaps.Accept(12, 101));
        Assert.Equal([(11L, 11L), (13L, 13L)], gaps.Due(100));
        Assert.True(gaps.Accept(11, 102));
        Assert.True(gaps.Accept(13, 103));
        Assert.Empty(gaps.Due(long.MaxValue));
    }

    [Fact]
    public void Due_OnlyGapsOlderThanTheGrace_UnlessReconnected()
    {
        var gaps = Started(0);
        gaps.Accept(3, 100);
        gaps.Observe(6, 200);
        Assert.Equal([(1L, 2L)], gaps.Due(150));
        gaps.Reconnected(8, 300);
        Assert.Equal([(1L, 2L), (4L, 6L), (7L, 8L)], gaps.Due(0));
    }

    [Fact]
    public void Recovered_ThenItsNoticeComes_TheNoticeIsADuplicate()
    {
        var gaps = Started(0);
        gaps.Observe(2, 100);
        gaps.Recovered(1, 200);
        Assert.False(gaps.Accept(1, 300));
        Assert.True(gaps.Accept(2, 300));
        Assert.True(gaps.Delivered(1));
        Assert.True(gaps.Delivered(2));
        Assert.False(gaps.Delivered(3));
    }

    [Fact]
    public void Expire_ForgetsOldGapsAndOldDuplicates()
    {
        var gaps = Started(0);
        gaps.Observe(5, 100);
        gaps.Recovered(3, 100);
        gaps.Expire(101);
        Assert.Empty(gaps.Due(long.MaxValue));
        Assert.True(gaps.Accept(3, 200)); // no longer remembered: a very late notice is delivered
    }

    private static HistoryGaps Started(long max)
    {
        var gaps = new HistoryGaps();
        gaps.Observe(max, 0);
        return gaps;
    }
}
