using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task ListTasks_Filters_MatchOnlyThoseTasks()
    {
        await EnqueueAsync(
            Spec("a", "llm.chat") with { Queue = "q1", Labels = new Dictionary<string, string> { ["team"] = "core", ["env"] = "prod" } },
            Spec("b", "llm.chat") with { Queue = "q2", Labels = new Dictionary<string, string> { ["team"] = "core" }, Group = "gpu" },
            Spec("c", "fs.scan") with { Queue = "q1", CorrelationId = "corr-9", Scope = "tenant-b" },
            Spec("d", "fs.scan") with { Queue = "q1", DelayMs = 60_000, Labels = new Dictionary<string, string> { ["team"] = "web" } });
        Assert.Equal("a", Assert.Single(await ClaimAsync(queues: ["q1"])).Id);

        async Task<string[]> Ids(TaskQuery query)
        {
            var ids = (await ListAllAsync(query)).Select(t => t.Id).Order().ToArray();
            Assert.Equal(ids.Length, await Bounded(Queries.CountTasksAsync(query, upTo: null, Ct))); // counting uses the same filters
            return ids;
        }

        Assert.Equal(["a", "b", "c", "d"], await Ids(new TaskQuery()));
        Assert.Equal(["a"], await Ids(new TaskQuery { States = [TaskState.Running] }));
        Assert.Equal(["b", "c"], await Ids(new TaskQuery { States = [TaskState.Queued] }));
        Assert.Equal(["b", "c", "d"], await Ids(new TaskQuery { States = [TaskState.Queued, TaskState.Scheduled] }));
        Assert.Equal(["a", "c", "d"], await Ids(new TaskQuery { Queue = "q1" }));
        Assert.Equal(["c", "d"], await Ids(new TaskQuery { Type = "fs.scan" }));
        Assert.Equal(["c"], await Ids(new TaskQuery { Type = "fs.scan", States = [TaskState.Queued] }));
        Assert.Equal(["b"], await Ids(new TaskQuery { Group = "gpu" }));
        Assert.Equal(["c"], await Ids(new TaskQuery { Scope = "tenant-b" }));
        Assert.Equal(["c"], await Ids(new TaskQuery { CorrelationId = "corr-9" }));
        Assert.Equal(["a", "b"], await Ids(new TaskQuery { Labels = new Dictionary<string, string> { ["team"] = "core" } }));
        Assert.Equal(["a"], await Ids(new TaskQuery { Labels = new Dictionary<string, string> { ["team"] = "core", ["env"] = "prod" } }));
        Assert.Empty(await Ids(new TaskQuery { Labels = new Dictionary<string, string> { ["team"] = "nobody" } }));
        Assert.Empty(await Ids(new TaskQuery { Queue = "q2", Type = "fs.scan" }));
        Assert.Equal(["a"], await Ids(new TaskQuery { Worker = Worker }));
        Assert.Empty(await Ids(new TaskQuery { Worker = "someone-else" }));
        Assert.Empty(await Ids(new TaskQuery { Worker = Worker, States = [TaskState.Queued] }));
    }

    [Fact]
    public async Task ListTasks_Worker_OnlyWhatItRunsNow()
    {
        await EnqueueAsync(Spec("done"), Spec("held"), Spec("other"));
        var done = await ClaimOneAsync("w-a");
        var held = await ClaimOneAsync("w-a");
        Assert.Equal("other", (await ClaimOneAsync("w-b")).Id);
        Assert.True((await CompleteAsync(done)).IsSuccess);

        // The finished task keeps the name of its last lease holder in the store; the filter is about leases held now.
        var running = await ListAllAsync(new TaskQuery { Worker = "w-a" });
        Assert.Equal([held.Id], running.Select(t => t.Id));
        Assert.Equal(1, await Bounded(Queries.CountTasksAsync(new TaskQuery { Worker = "w-a" }, upTo: null, Ct)));
    }

    [Fact]
    public async Task CountTasks_UpTo_StopsThereAndIgnoresPaging()
    {
        for (var i = 0; i < 12; i++)
        {
            await EnqueueAsync(Spec($"n{i:00}", i % 2 == 0 ? "even" : "odd") with { Queue = "counted" });
        }

        var query = new TaskQuery { Queue = "counted", Limit = 2, Cursor = 1 };
        Assert.Equal(12, await Bounded(Queries.CountTasksAsync(query, upTo: null, Ct)));
        Assert.Equal(5, await Bounded(Queries.CountTasksAsync(query, upTo: 5, Ct)));
        Assert.Equal(12, await Bounded(Queries.CountTasksAsync(query, upTo: 100, Ct)));
        Assert.Equal(6, await Bounded(Queries.CountTasksAsync(query with { Type = "odd", States = [TaskState.Queued] }, upTo: 100, Ct)));
        Assert.Equal(0, await Bounded(Queries.CountTasksAsync(query with { Queue = "elsewhere" }, upTo: 100, Ct)));
    }

    [Fact]
    public async Task ListTasks_CursorPaging_EveryTaskOnceNewestFirst()
    {
        var ids = Enumerable.Range(0, 23).Select(i => $"p{i:00}").ToArray();
        foreach (var id in ids)
        {
            await EnqueueAsync(Spec(id));
            Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var pages = new List<TaskPage>();
        var query = new TaskQuery { Limit = 5 };
        do
        {
            pages.Add(await Bounded(Queries.ListTasksAsync(query, Ct)));
            query = query with { Cursor = pages[^1].NextCursor };
            Assert.True(pages.Count <= 10, "paging does not end");
        }
        while (pages[^1].NextCursor is not null);

        Assert.Equal([5, 5, 5, 5, 3], pages.Select(p => p.Tasks.Count));
        Assert.Equal(ids.Reverse(), pages.SelectMany(p => p.Tasks).Select(t => t.Id));
    }

    [Fact]
    public async Task ListTasks_PagingWithFilter_EveryMatchOnce()
    {
        for (var i = 0; i < 20; i++)
        {
            await EnqueueAsync(Spec($"f{i:00}") with { Queue = i % 3 == 0 ? "three" : "other" });
        }

        var listed = await ListAllAsync(new TaskQuery { Queue = "three", Limit = 2 });

        Assert.Equal(
            Enumerable.Range(0, 20).Where(i => i % 3 == 0).Reverse().Select(i => $"f{i:00}"),
            listed.Select(t => t.Id));
    }

    [Fact]
    public async Task ListTasks_ExactlyOnePage_NoCursor()
    {
        await EnqueueAsync(Spec("x1"), Spec("x2"));

        var page = await Bounded(Queries.ListTasksAsync(new TaskQuery { Limit = 2 }, Ct));

        Assert.Equal(2, page.Tasks.Count);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListQueueStats_AfterMixOfMoves_CountsEveryState()
    {
        await EnqueueAsync(
            Spec("run") with { Queue = "mix", Priority = 9 },
            Spec("done") with { Queue = "mix", Priority = 8 },
            Spec("held") with { Queue = "mix", Priority = 7, Review = ReviewMode.Required },
            Spec("broke") with { Queue = "mix", Priority = 6 },
            Spec("wait-1") with { Queue = "mix" },
            Spec("wait-2") with { Queue = "mix" },
            Spec("stop") with { Queue = "mix" },
            Spec("later") with { Queue = "mix", DelayMs = 60_000 },
            Spec("elsewhere") with { Queue = "side" });
        var claimed = (await ClaimAsync(maxTasks: 4, queues: ["mix"])).ToDictionary(t => t.Id);
        Assert.Equal(["broke", "done", "held", "run"], claimed.Keys.Order());
        Assert.True((await CompleteAsync(claimed["done"])).IsSuccess);
        Assert.True((await CompleteAsync(claimed["held"])).IsSuccess);
        Assert.True((await FailAsync(claimed["broke"], FatalError)).IsSuccess);
        Assert.True((await CancelAsync("stop")).IsSuccess);

        var stats = await Bounded(Queries.ListQueueStatsAsync(Ct));

        var mix = Assert.Single(stats, s => s.Queue == "mix");
        Assert.Equal(
            new Dictionary<TaskState, long>
            {
                [TaskState.Scheduled] = 1,
                [TaskState.Blocked] = 0,
                [TaskState.Queued] = 2,
                [TaskState.Running] = 1,
                [TaskState.Review] = 1,
                [TaskState.Completed] = 1,
                [TaskState.Failed] = 1,
                [TaskState.Cancelled] = 1,
            },
            TaskStates.All.ToDictionary(s => s, mix.Count));
        Assert.Equal(3, mix.Waiting);
        var side = Assert.Single(stats, s => s.Queue == "side");
        Assert.Equal(1, side.Count(TaskState.Queued));
        Assert.Equal(1, TaskStates.All.Sum(side.Count));
    }

    [Fact]
    public async Task QueuePosition_WaitingTasks_ClaimOrderWithinTheirQueue()
    {
        await EnqueueAsync(
            Spec("a") with { Queue = "line" },
            Spec("b") with { Queue = "line", Priority = 5 },
            Spec("c") with { Queue = "line", Group = "gpu" },
            Spec("d") with { Queue = "line", Priority = 5 },
            Spec("e") with { Queue = "other" },
            Spec("later") with { Queue = "line", DelayMs = 60_000 });

        async Task<long?[]> Positions(params string[] ids) =>
            await Task.WhenAll(ids.Select(id => Bounded(Queries.GetQueuePositionAsync(id, Ct))));

        Assert.Equal([3, 1, 4, 2, 1, 5], await Positions("a", "b", "c", "d", "e", "later"));

        var claimed = await ClaimOneAsync(queues: ["line"]);
        Assert.Equal("b", claimed.Id);
        Assert.Equal([2, null, 3, 1, 1, 4], await Positions("a", "b", "c", "d", "e", "later"));

        Assert.True((await CompleteAsync(claimed)).IsSuccess);
        Assert.True((await CancelAsync("d")).IsSuccess);
        Assert.Equal([1, null, 2, null], await Positions("a", "b", "c", "d"));
        Assert.Null(await Bounded(Queries.GetQueuePositionAsync("nobody", Ct)));
    }

    [Fact]
    public async Task History_EveryMove_OneRowWithEventFromToActor()
    {
        await EnqueueAsync(Spec("story") with { MaxAttempts = 3 });
        var first = await ClaimOneAsync("worker-a");
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await FailAsync(first, RetryableError)).IsSuccess);
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await ClaimOneAsync("worker-b");
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs));
        Assert.Single(await ExpireLeasesAsync());
        var third = await ClaimOneAsync("worker-c");
        Assert.True((await CompleteAsync(third)).IsSuccess);

        var history = await HistoryAsync("story");

        Assert.NotNull(history);
        Assert.Equal(
            [
                ("submitted", (TaskState?)null, TaskState.Queued, (string?)Submitter, 0),
                ("claimed", TaskState.Queued, TaskState.Running, "worker-a", 1),
                ("failed", TaskState.Running, TaskState.Queued, "worker-a", 1),
                ("claimed", TaskState.Queued, TaskState.Running, "worker-b", 2),
                ("lease_expired", TaskState.Running, TaskState.Queued, null, 2),
                ("claimed", TaskState.Queued, TaskState.Running, "worker-c", 3),
                ("completed", TaskState.Running, TaskState.Completed, "worker-c", 3),
            ],
            history.Select(h => (h.Event, h.From, h.To, h.Event == "lease_expired" ? null : h.Actor, h.Attempt)));
        Assert.Equal(Start, history[0].At);
        Assert.Equal(Time.GetUtcNow(), history[^1].At);
        Assert.NotEqual(second.Lease!.Token, third.Lease!.Token);
        await AssertHistoryLegalAsync("story");
    }

    [Fact]
    public async Task History_RefusedCalls_WriteNoRows()
    {
        await EnqueueAsync(Spec("quiet"));
        var claimed = await ClaimOneAsync();

        AssertRefused(await CompleteAsync("quiet", claimed.Lease!.Token + 1), ErrorCodes.StaleLease);
        AssertRefused(await RetryAsync("quiet"), ErrorCodes.IllegalTransition);
        Assert.True((await HeartbeatAsync("quiet", claimed.Lease.Token)).IsSuccess);

        Assert.Equal(["submitted", "claimed"], (await HistoryAsync("quiet"))!.Select(h => h.Event));
    }

    [Fact]
    public async Task History_UnknownTask_Null() => Assert.Null(await HistoryAsync("nobody"));
}
