using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task Restart_QueuedTasks_ClaimableAgainInOrder()
    {
        foreach (var (id, priority) in new[] { ("old-low", 0), ("old-high", 3), ("taken", 9), ("finished", 8), ("new-low", 0), ("new-high", 3) })
        {
            await EnqueueAsync(Spec(id) with { Priority = priority });
            Time.Advance(TimeSpan.FromMilliseconds(5));
        }

        Assert.Equal(["taken", "finished"], (await ClaimAsync(maxTasks: 2)).Select(t => t.Id));
        Assert.True((await CompleteAsync("finished", (await GetRequiredAsync("finished")).Lease!.Token)).IsSuccess);

        await Bounded(Sut.RestartAsync(Ct));

        Assert.Equal(["old-high", "new-high", "old-low", "new-low"], (await ClaimAsync(maxTasks: 10)).Select(t => t.Id));
        Assert.Empty(await ClaimAsync(maxTasks: 10));
    }

    [Fact]
    public async Task Restart_Counts_SameAsBefore()
    {
        await EnqueueAsync(Spec("a"), Spec("b"), Spec("c"), Spec("d"), Spec("e") with { DelayMs = 10_000 }, Spec("f") with { Queue = "side" });
        var claimed = await ClaimAsync(maxTasks: 3);
        Assert.True((await CompleteAsync(claimed[0])).IsSuccess);
        Assert.True((await FailAsync(claimed[1], FatalError)).IsSuccess);
        var before = await Bounded(Queries.ListQueueStatsAsync(Ct));

        await Bounded(Sut.RestartAsync(Ct));

        var after = await Bounded(Queries.ListQueueStatsAsync(Ct));
        Assert.Equal(Snapshot(before), Snapshot(after));
        Assert.Equal(1, await CountAsync(TaskState.Queued));
        Assert.Equal(1, await CountAsync(TaskState.Running));
        Assert.Equal(1, await CountAsync(TaskState.Scheduled));
        Assert.Equal(1, await CountAsync(TaskState.Queued, "side"));

        static string[] Snapshot(IReadOnlyList<QueueStats> stats) =>
            stats.SelectMany(s => TaskStates.All.Where(state => s.Count(state) != 0).Select(state => $"{s.Queue}/{state.ToName()}={s.Count(state)}"))
                .Order()
                .ToArray();
    }

    [Fact]
    public async Task Restart_FencingTokens_KeepGrowing()
    {
        await EnqueueAsync(Enumerable.Range(0, 6).Select(i => Spec($"t{i}")).ToArray());
        var before = (await ClaimAsync(maxTasks: 3)).Select(t => t.Lease!.Token).ToArray();

        await Bounded(Sut.RestartAsync(Ct));
        var afterFirst = (await ClaimOneAsync()).Lease!.Token;
        await Bounded(Sut.RestartAsync(Ct));
        var afterSecond = (await ClaimAsync(maxTasks: 2)).Select(t => t.Lease!.Token).ToArray();

        Assert.True(afterFirst > before.Max(), $"token {afterFirst} issued after a restart is not above {before.Max()}");
        Assert.All(afterSecond, token => Assert.True(token > afterFirst));
        Assert.Equal(2, Sut.Restarts);
    }

    [Fact]
    public async Task Restart_RunningTasks_KeepTheirLeases()
    {
        await EnqueueAsync(Spec("r1"), Spec("r2"), Spec("r3"));
        var claimed = await ClaimAsync(maxTasks: 3);

        await Bounded(Sut.RestartAsync(Ct));

        foreach (var task in claimed)
        {
            var stored = await GetRequiredAsync(task.Id);
            Assert.Equal(TaskState.Running, stored.State);
            Assert.Equal(task.Lease, stored.Lease);
            Assert.Equal(task.Attempt, stored.Attempt);
        }

        Assert.Empty(await ClaimAsync(maxTasks: 3));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await HeartbeatAsync("r1", claimed[0].Lease!.Token)).IsSuccess);
        AssertApplied(await CompleteAsync(claimed[1]), TaskState.Running, TaskTrigger.Complete, TaskState.Completed);
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs - 10_000));
        Assert.Equal("r3", Assert.Single(await ExpireLeasesAsync()).Task.Id);
        Assert.Equal("r3", (await ClaimOneAsync()).Id);
        AssertRefused(await CompleteAsync(claimed[2]), ErrorCodes.StaleLease);
    }

    [Fact]
    public async Task Restart_ScheduledTasks_PromotedAfterwards()
    {
        await EnqueueAsync(Spec("later") with { DelayMs = 5_000 });

        await Bounded(Sut.RestartAsync(Ct));
        Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Single(await PromoteScheduledAsync());
        Assert.Equal("later", (await ClaimOneAsync()).Id);
    }

    [Fact]
    public async Task Restart_CancelledWhileQueued_StillNotClaimable()
    {
        await EnqueueAsync(Spec("gone"), Spec("here"));
        Assert.True((await CancelAsync("gone")).IsSuccess);

        await Bounded(Sut.RestartAsync(Ct));

        Assert.Equal("here", Assert.Single(await ClaimAsync(maxTasks: 5)).Id);
    }

    [Fact]
    public async Task Restart_IdempotencyKeysAndIds_StillHonoured()
    {
        await EnqueueAsync(Spec("first") with { IdempotencyKey = "k" });

        await Bounded(Sut.RestartAsync(Ct));

        Assert.False(Assert.Single((await EnqueueAsync(Spec("second") with { IdempotencyKey = "k" })).Tasks).Created);
        AssertRefused(await TryEnqueueAsync([Spec("first")]), ErrorCodes.DuplicateId);
        Assert.Equal(1, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task Restart_QueueLimits_CountTasksStoredBefore()
    {
        await EnqueueAsync(Spec("w1"), Spec("w2"));

        await Bounded(Sut.RestartAsync(Ct));

        AssertRefused(await TryEnqueueAsync([Spec("w3")], new Dictionary<string, int> { [TaskDefaults.Queue] = 2 }), ErrorCodes.QueueFull);
    }

    [Fact]
    public async Task Restart_History_Kept()
    {
        await EnqueueAsync(Spec("h"));
        Assert.True((await CompleteAsync(await ClaimOneAsync())).IsSuccess);
        var before = await HistoryAsync("h");

        await Bounded(Sut.RestartAsync(Ct));

        Assert.Equal(before, await HistoryAsync("h"));
        await AssertHistoryLegalAsync("h");
    }
}
