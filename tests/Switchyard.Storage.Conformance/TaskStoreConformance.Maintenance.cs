using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task ExpireLeases_LeaseLapsed_QueuedAttemptKeptAndOldTokenRefused()
    {
        await EnqueueAsync(Spec("lapsed") with { MaxAttempts = 3 });
        var first = await ClaimOneAsync();
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs - 1));
        Assert.Empty(await ExpireLeasesAsync());
        Time.Advance(TimeSpan.FromMilliseconds(1));

        var move = Assert.Single(await ExpireLeasesAsync());

        Assert.Equal((TaskState.Running, TaskTrigger.LeaseExpired, TaskState.Queued), (move.From, move.Trigger, move.Task.State));
        var stored = await GetRequiredAsync("lapsed");
        Assert.Equal((TaskState.Queued, 1, ErrorCodes.LeaseExpired), (stored.State, stored.Attempt, stored.Error?.Code));
        Assert.Null(stored.Lease);
        AssertRefused(await HeartbeatAsync("lapsed", first.Lease!.Token), ErrorCodes.StaleLease);
        AssertRefused(await CompleteAsync(first), ErrorCodes.StaleLease);
        var second = await ClaimOneAsync("worker-2");
        Assert.Equal(2, second.Attempt);
        Assert.True(second.Lease!.Token > first.Lease.Token);
        AssertRefused(await CompleteAsync(first), ErrorCodes.StaleLease);
        await AssertHistoryLegalAsync("lapsed");
    }

    [Fact]
    public async Task ExpireLeases_AttemptsSpent_FailedWithLeaseExpired()
    {
        await EnqueueAsync(Spec("last") with { MaxAttempts = 1 });
        await ClaimOneAsync();
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs));

        var move = Assert.Single(await ExpireLeasesAsync());

        Assert.Equal(TaskState.Failed, move.Task.State);
        var stored = await GetRequiredAsync("last");
        Assert.Equal((TaskState.Failed, ErrorCodes.LeaseExpired), (stored.State, stored.Error?.Code));
        Assert.Equal(Time.GetUtcNow().AddMilliseconds(ResultTtlMs), stored.ResultExpiresAt);
        Assert.Empty(await ClaimAsync());
    }

    [Fact]
    public async Task ExpireLeases_WithBackoff_ScheduledAfterTheDelay()
    {
        await EnqueueAsync(Spec("slow") with { Retry = new RetrySpec(BackoffKind.Fixed, 10_000, 10_000, 1, 0) });
        await ClaimOneAsync();
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs));

        var move = Assert.Single(await ExpireLeasesAsync());

        Assert.Equal(TaskState.Scheduled, move.Task.State);
        Assert.Equal(Time.GetUtcNow().AddSeconds(10), (await GetRequiredAsync("slow")).RunAt);
    }

    [Fact]
    public async Task ExpireLeases_MaxTasks_BoundsOneSweep()
    {
        await EnqueueAsync(Spec("e1"), Spec("e2"), Spec("e3"));
        await ClaimAsync(maxTasks: 3);
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs));

        Assert.Equal(2, (await ExpireLeasesAsync(maxTasks: 2)).Count);
        Assert.Single(await ExpireLeasesAsync(maxTasks: 2));
        Assert.Empty(await ExpireLeasesAsync(maxTasks: 2));
        Assert.Equal(3, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task FailOverdue_QueuedRunningAndScheduledPastDeadline_FailedWithTaskTimeout()
    {
        await EnqueueAsync(
            Spec("running") with { TimeoutMs = 5_000, Priority = 9 },
            Spec("queued") with { TimeoutMs = 5_000 },
            Spec("scheduled") with { TimeoutMs = 5_000, DelayMs = 60_000 },
            Spec("patient") with { TimeoutMs = 50_000 },
            Spec("no-deadline"));
        var running = await ClaimOneAsync();
        Assert.Equal("running", running.Id);
        Time.Advance(TimeSpan.FromMilliseconds(4_999));
        Assert.Empty(await FailOverdueAsync());
        Time.Advance(TimeSpan.FromMilliseconds(1));

        var moved = await FailOverdueAsync();

        Assert.Equal(["queued", "running", "scheduled"], moved.Select(m => m.Task.Id).Order());
        Assert.All(moved, m => Assert.Equal((TaskTrigger.Deadline, TaskState.Failed), (m.Trigger, m.Task.State)));
        foreach (var id in new[] { "running", "queued", "scheduled" })
        {
            var stored = await GetRequiredAsync(id);
            Assert.Equal(TaskState.Failed, stored.State);
            Assert.Equal("Task timeout", stored.Error?.Message);
            Assert.Null(stored.Lease);
            await AssertHistoryLegalAsync(id);
        }

        Assert.Equal(TaskState.Queued, await StateOfAsync("patient"));
        Assert.Equal(TaskState.Queued, await StateOfAsync("no-deadline"));
        Assert.False((await CompleteAsync(running)).IsSuccess);
        Assert.Equal(TaskState.Failed, await StateOfAsync("running"));
        Assert.Empty(await FailOverdueAsync());
    }

    [Fact]
    public async Task PromoteScheduled_MaxTasks_BoundsOneSweep()
    {
        await EnqueueAsync(Spec("s1") with { DelayMs = 1_000 }, Spec("s2") with { DelayMs = 2_000 }, Spec("s3") with { DelayMs = 3_000 });
        Time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(["s1", "s2"], (await PromoteScheduledAsync(maxTasks: 2)).Select(m => m.Task.Id).Order());
        Assert.Equal("s3", Assert.Single(await PromoteScheduledAsync(maxTasks: 2)).Task.Id);
        Assert.Equal(3, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task GetTask_ResultExpired_NullEvenBeforePurge()
    {
        await EnqueueAsync(Spec("ttl"));
        Assert.True((await CompleteAsync(await ClaimOneAsync())).IsSuccess);
        Time.Advance(TimeSpan.FromMilliseconds(ResultTtlMs - 1));
        Assert.NotNull(await GetAsync("ttl"));
        Assert.NotNull(await HistoryAsync("ttl"));

        Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Null(await GetAsync("ttl"));
        Assert.Null(await HistoryAsync("ttl"));
        Assert.Empty(await ListAllAsync(new TaskQuery()));
    }

    [Fact]
    public async Task PurgeExpired_FinishedTasksPastExpiry_DeletedOthersKept()
    {
        await EnqueueAsync(
            Spec("review") with { Review = ReviewMode.Required, Priority = 1 },
            Spec("done"), Spec("failed"), Spec("running"), Spec("cancelled"), Spec("queued"));
        Assert.True((await CancelAsync("cancelled")).IsSuccess);
        var claimed = (await ClaimAsync(maxTasks: 4)).ToDictionary(t => t.Id);
        Assert.Equal(["done", "failed", "review", "running"], claimed.Keys.Order());
        Assert.True((await CompleteAsync(claimed["review"])).IsSuccess);
        Assert.True((await CompleteAsync(claimed["done"])).IsSuccess);
        Assert.True((await FailAsync(claimed["failed"], FatalError)).IsSuccess);
        Time.Advance(TimeSpan.FromMilliseconds(ResultTtlMs - 1));
        Assert.Equal(0, await PurgeExpiredAsync());
        Assert.NotNull(await GetAsync("done"));

        Time.Advance(TimeSpan.FromMilliseconds(1));

        var purged = await PurgeExpiredTasksAsync();
        Assert.Equal(["cancelled", "done", "failed"], purged.Select(t => t.Id).Order());
        Assert.Equal(TaskState.Completed, purged.Single(t => t.Id == "done").State);
        Assert.Equal(0, await PurgeExpiredAsync());
        foreach (var gone in new[] { "done", "failed", "cancelled" })
        {
            Assert.Null(await GetAsync(gone));
            Assert.Null(await HistoryAsync(gone));
        }

        Assert.Equal(TaskState.Review, await StateOfAsync("review"));
        Assert.Equal(TaskState.Running, await StateOfAsync("running"));
        Assert.Equal(TaskState.Queued, await StateOfAsync("queued"));
        var stats = await StatsOfAsync();
        Assert.NotNull(stats);
        Assert.Equal(
            TaskStates.All.Select(s => s is TaskState.Queued or TaskState.Running or TaskState.Review ? 1L : 0L),
            TaskStates.All.Select(stats.Count));
    }

    [Fact]
    public async Task PurgeExpired_MaxTasks_BoundsOneSweep()
    {
        await EnqueueAsync(Spec("c1"), Spec("c2"), Spec("c3"));
        foreach (var id in new[] { "c1", "c2", "c3" })
        {
            Assert.True((await CancelAsync(id)).IsSuccess);
        }

        Time.Advance(TimeSpan.FromMilliseconds(ResultTtlMs));

        Assert.Equal(2, await PurgeExpiredAsync(maxTasks: 2));
        Assert.Equal(1, await PurgeExpiredAsync(maxTasks: 2));
        Assert.Equal(0, await CountAsync(TaskState.Cancelled));
    }
}
