using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

public sealed class TaskOrderTests
{
    [Fact]
    public void Arrive_InOrder_EachGoesOutAtOnce()
    {
        var order = new TaskOrder();
        Assert.Equal([1L], Arrive(order, Move("a", 1, null, "queued")));
        Assert.Equal([2L], Arrive(order, Move("a", 2, "queued", "running")));
        Assert.Equal([3L], Arrive(order, Move("a", 3, "running", "completed")));
        Assert.Equal(0, order.HeldCount);
    }

    [Fact]
    public void Arrive_AMoveThatOvertookTheOneBefore_IsHeldUntilThatOneComes()
    {
        var order = new TaskOrder();
        Arrive(order, Move("a", 1, null, "queued"));
        Arrive(order, Move("b", 2, null, "queued"));

        Assert.Empty(Arrive(order, Move("a", 9, "running", "completed")));
        Assert.Equal(1, order.HeldCount);
        Assert.Equal([3L], Arrive(order, Move("b", 3, "queued", "running"))); // another task is not held up
        Assert.Equal([5L, 9L], Arrive(order, Move("a", 5, "queued", "running")));
        Assert.Equal(0, order.HeldCount);
    }

    [Fact]
    public void Arrive_OlderThanWhatWentOut_IsStale()
    {
        var order = new TaskOrder();
        Arrive(order, Move("a", 4, "queued", "running"));
        Assert.Empty(Arrive(order, Move("a", 2, null, "queued")));
        Assert.Empty(Arrive(order, Move("a", 4, "queued", "running")));
        Assert.Equal(2, order.Stale);
    }

    [Fact]
    public void Arrive_ATaskNotHeardOf_TakesAnyMove()
    {
        var order = new TaskOrder();
        Assert.Equal([7L], Arrive(order, Move("late", 7, "running", "completed")));
        Assert.True(order.Knows("late"));
    }

    [Fact]
    public void Arrive_ATaskNotHeardOfWhileEarlierIdsMayCome_WaitsForItsStart()
    {
        var order = new TaskOrder();
        var ready = new List<TaskOrder.Waiting>();
        order.Arrive(Move("a", 7, "queued", "running"), "b", 0, ready, earlierMayCome: true);
        Assert.Empty(ready);
        Assert.Equal([("a", 0L, 7L)], order.Overdue(before: 1));

        Assert.Equal([3L, 7L], Arrive(order, Move("a", 3, null, "queued")));
    }

    [Fact]
    public void Overdue_NamesTheMissingIds_AndRecoveredMovesReleaseTheHeld()
    {
        var order = new TaskOrder();
        Arrive(order, Move("a", 1, null, "queued"), now: 0);
        Arrive(order, Move("a", 8, "running", "completed"), now: 10);

        Assert.Empty(order.Overdue(before: 10));
        Assert.Equal([("a", 1L, 8L)], order.Overdue(before: 11));

        var ready = new List<TaskOrder.Waiting>();
        Assert.True(order.Recovered("a", 4, "running", 20, ready));
        Assert.Equal([8L], ready.Select(w => w.Notice.HistoryId));
        Assert.False(order.Recovered("a", 4, "running", 21, ready)); // read back twice: the second is stale
    }

    [Fact]
    public void Flush_GivesUpWaiting_HeldGoOutInHistoryOrder()
    {
        var order = new TaskOrder();
        Arrive(order, Move("a", 1, null, "queued"));
        Arrive(order, Move("a", 9, "review", "completed"));
        Arrive(order, Move("a", 6, "running", "review"));

        var ready = new List<TaskOrder.Waiting>();
        order.Flush("a", 5, ready);
        Assert.Equal([6L, 9L], ready.Select(w => w.Notice.HistoryId));
        Assert.Equal(0, order.HeldCount);
        Assert.Empty(Arrive(order, Move("a", 3, "queued", "running"))); // too late now
    }

    [Fact]
    public void Expire_ForgetsQuietTasks_ButNotHeldOnes()
    {
        var order = new TaskOrder();
        Arrive(order, Move("quiet", 1, null, "queued"), now: 0);
        Arrive(order, Move("held", 2, null, "queued"), now: 0);
        Arrive(order, Move("held", 5, "running", "completed"), now: 0);

        order.Expire(before: 100);

        Assert.False(order.Knows("quiet"));
        Assert.True(order.Knows("held"));
    }

    [Fact]
    public void Arrive_ExpiryAfterTheTasksLastMove_GoesOut_AndWhatComesAfterIsStale()
    {
        var order = new TaskOrder();
        Arrive(order, Move("a", 1, null, "queued"));
        Arrive(order, Move("a", 2, "queued", "cancelled"));

        Assert.Equal([2L], Arrive(order, Expiry("a", 2, "cancelled")));
        Assert.Empty(Arrive(order, Expiry("a", 2, "cancelled")));
        Assert.Empty(Arrive(order, Move("a", 2, "queued", "cancelled")));
        Assert.Equal(2, order.Stale);
    }

    [Fact]
    public void Arrive_ExpiryThatOvertookTheLastMove_IsHeldUntilItComes_ThenFollowsIt()
    {
        var order = new TaskOrder();
        Arrive(order, Move("a", 1, null, "queued"));
        Arrive(order, Move("a", 3, "queued", "failed"));
        Arrive(order, Move("a", 4, "failed", "queued")); // retried by hand: its last state was failed once before

        Assert.Empty(Arrive(order, Expiry("a", 6, "failed")));
        Assert.Equal(1, order.HeldCount);

        var ready = new List<TaskOrder.Waiting>();
        order.Arrive(Move("a", 6, "queued", "failed"), "node", 0, ready);
        Assert.Equal([(6L, false), (6L, true)], ready.Select(w => (w.Notice.HistoryId, w.Notice.Expired)));
    }

    [Fact]
    public void Flush_AHeldExpiry_GoesOutAfterTheMoveItFollows()
    {
        var order = new TaskOrder();
        Arrive(order, Move("a", 1, null, "queued"));
        Arrive(order, Expiry("a", 5, "completed"));
        Arrive(order, Move("a", 5, "running", "completed"));

        var ready = new List<TaskOrder.Waiting>();
        order.Flush("a", 5, ready);
        Assert.Equal([(5L, false), (5L, true)], ready.Select(w => (w.Notice.HistoryId, w.Notice.Expired)));
    }

    [Fact]
    public void Arrive_ExpiryOfATaskNotHeardOf_GoesOutUnlessAnEarlierIdMayCome()
    {
        var order = new TaskOrder();
        Assert.Equal([7L], Arrive(order, Expiry("old", 7, "completed")));

        var ready = new List<TaskOrder.Waiting>();
        order.Arrive(Expiry("recent", 9, "completed"), "node", 0, ready, earlierMayCome: true);
        Assert.Empty(ready);
        Assert.Equal([("recent", 0L, 9L)], order.Overdue(before: 1));
    }

    private static long[] Arrive(TaskOrder order, PgMoveNotice notice, long now = 0)
    {
        var ready = new List<TaskOrder.Waiting>();
        order.Arrive(notice, "node", now, ready);
        return ready.Select(w => w.Notice.HistoryId).ToArray();
    }

    private static PgMoveNotice Move(string id, long historyId, string? from, string to) => new()
    {
        HistoryId = historyId,
        Id = id,
        Trigger = "claimed",
        From = from,
        State = to,
        Type = "t",
        Queue = "q",
        Group = "default",
        Scope = "",
    };

    private static PgMoveNotice Expiry(string id, long lastHistoryId, string state) =>
        Move(id, lastHistoryId, state, state) with { Trigger = "expire", Expired = true };
}
