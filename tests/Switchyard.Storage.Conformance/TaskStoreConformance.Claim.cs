using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task Claim_MixedPriorities_HigherFirstThenOldest()
    {
        foreach (var (id, priority) in new[] { ("low-old", 0), ("high-old", 5), ("low-new", 0), ("high-new", 5), ("mid", 2) })
        {
            await EnqueueAsync(Spec(id) with { Priority = priority });
            Time.Advance(TimeSpan.FromMilliseconds(10));
        }

        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            order.Add((await ClaimOneAsync()).Id);
        }

        Assert.Equal(["high-old", "high-new", "mid", "low-old", "low-new"], order);
    }

    [Fact]
    public async Task Claim_BatchOfTasks_InPriorityOrder()
    {
        await EnqueueAsync(Spec("p1") with { Priority = 1 }, Spec("p3") with { Priority = 3 }, Spec("p2") with { Priority = 2 });

        var claimed = await ClaimAsync(maxTasks: 10);

        Assert.Equal(["p3", "p2", "p1"], claimed.Select(t => t.Id));
    }

    [Fact]
    public async Task Claim_MaxTasks_Respected()
    {
        await EnqueueAsync(Enumerable.Range(0, 5).Select(i => Spec($"m{i}")).ToArray());

        Assert.Equal(3, (await ClaimAsync(maxTasks: 3)).Count);
        Assert.Equal(2, (await ClaimAsync(maxTasks: 3)).Count);
        Assert.Empty(await ClaimAsync(maxTasks: 3));
    }

    [Fact]
    public async Task Claim_EmptyStore_ReturnsNothing() => Assert.Empty(await ClaimAsync(maxTasks: 10));

    [Fact]
    public async Task Claim_QueuedTask_RunningWithLeaseAttemptAndHistory()
    {
        await EnqueueAsync(Spec("c"));
        Time.Advance(TimeSpan.FromSeconds(3));

        var claimed = await ClaimOneAsync("worker-7");

        Assert.Equal(1, claimed.Attempt);
        Assert.Equal("worker-7", claimed.Lease!.WorkerId);
        Assert.Equal(Time.GetUtcNow().AddMilliseconds(LeaseMs), claimed.Lease.ExpiresAt);
        Assert.Equal(Time.GetUtcNow(), claimed.StartedAt);
        var stored = await GetRequiredAsync("c");
        Assert.Equal(TaskState.Running, stored.State);
        Assert.Equal(claimed.Lease, stored.Lease);
        Assert.Equal(claimed.Attempt, stored.Attempt);
        var row = (await HistoryAsync("c"))![^1];
        Assert.Equal(("claimed", TaskState.Queued, TaskState.Running, "worker-7", 1), (row.Event, row.From, row.To, row.Actor, row.Attempt));
        Assert.Equal((0, 1), (await CountAsync(TaskState.Queued), await CountAsync(TaskState.Running)));
    }

    [Fact]
    public async Task Claim_LeaseLength_FromRequestElseTaskElseDefault()
    {
        await EnqueueAsync(Spec("own") with { LeaseMs = 5_000 }, Spec("plain"));

        var fromRequest = Assert.Single(await ClaimAsync(leaseMs: 2_000));
        var fromDefault = Assert.Single(await ClaimAsync(leaseMs: null));

        Assert.Equal(("own", Start.AddMilliseconds(2_000)), (fromRequest.Id, fromRequest.Lease!.ExpiresAt));
        Assert.Equal(("plain", Start.AddMilliseconds(LeaseMs)), (fromDefault.Id, fromDefault.Lease!.ExpiresAt));

        await EnqueueAsync(Spec("own-2") with { LeaseMs = 5_000 });
        Assert.Equal(Start.AddMilliseconds(5_000), Assert.Single(await ClaimAsync(leaseMs: null)).Lease!.ExpiresAt);
    }

    [Fact]
    public async Task Claim_DefaultGroupTask_GoesToAnyWorker()
    {
        await EnqueueAsync(Spec("d1"), Spec("d2"));

        Assert.Single(await ClaimAsync(groups: []));
        Assert.Single(await ClaimAsync(groups: ["gpu"]));
    }

    [Fact]
    public async Task Claim_OtherGroupTask_OnlyToWorkersListingTheGroup()
    {
        await EnqueueAsync(Spec("g") with { Group = "gpu" });

        Assert.Empty(await ClaimAsync(groups: []));
        Assert.Empty(await ClaimAsync(groups: ["cpu", "tpu"]));
        Assert.Equal("g", Assert.Single(await ClaimAsync(groups: ["cpu", "gpu"])).Id);
    }

    [Fact]
    public async Task Claim_TypeFilter_OnlyThoseTypes()
    {
        await EnqueueAsync(Spec("chat", "llm.chat"), Spec("scan", "fs.scan") with { Priority = 9 }, Spec("http", "http.request"));

        var claimed = await ClaimAsync(maxTasks: 10, types: ["llm.chat", "http.request"]);

        Assert.Equal(["chat", "http"], claimed.Select(t => t.Id).Order());
        Assert.Equal(TaskState.Queued, await StateOfAsync("scan"));
        Assert.Equal("scan", Assert.Single(await ClaimAsync(maxTasks: 10)).Id);
    }

    [Fact]
    public async Task Claim_QueueFilter_OnlyThoseQueuesInPriorityOrderAcrossThem()
    {
        await EnqueueAsync(
            Spec("a-low") with { Queue = "a", Priority = 1 },
            Spec("b-high") with { Queue = "b", Priority = 8 },
            Spec("c-top") with { Queue = "c", Priority = 9 },
            Spec("a-high") with { Queue = "a", Priority = 5 });

        Assert.Equal(["b-high", "a-high", "a-low"], (await ClaimAsync(maxTasks: 10, queues: ["a", "b"])).Select(t => t.Id));
        Assert.Empty(await ClaimAsync(maxTasks: 10));
        Assert.Equal("c-top", Assert.Single(await ClaimAsync(queues: ["c"])).Id);
    }

    [Fact]
    public async Task Claim_ConcurrentClaimers_EveryTaskClaimedExactlyOnce()
    {
        const int tasks = 60;
        await EnqueueAsync(Enumerable.Range(0, tasks).Select(i => Spec($"t{i:00}") with { Priority = i % 4 }).ToArray());

        var claims = await Bounded(Task.WhenAll(Enumerable.Range(0, 24).Select(w => Task.Run(
            () => ClaimAsync(maxTasks: 4, worker: $"worker-{w}"), Ct))));

        var claimed = claims.SelectMany(c => c).ToArray();
        Assert.Equal(tasks, claimed.Length);
        Assert.Equal(Enumerable.Range(0, tasks).Select(i => $"t{i:00}"), claimed.Select(t => t.Id).Order());
        Assert.Equal(tasks, claimed.Select(t => t.Lease!.Token).Distinct().Count());
        Assert.Equal(tasks, await CountAsync(TaskState.Running));
        Assert.Equal(0, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task Claim_EachClaim_StrictlyLargerFencingToken()
    {
        await EnqueueAsync(Enumerable.Range(0, 6).Select(i => Spec($"f{i}")).ToArray());

        var tokens = new List<long>();
        tokens.AddRange((await ClaimAsync(maxTasks: 2)).Select(t => t.Lease!.Token));
        tokens.Add((await ClaimOneAsync()).Lease!.Token);
        tokens.AddRange((await ClaimAsync(maxTasks: 3, worker: "worker-2")).Select(t => t.Lease!.Token));

        Assert.Equal(6, tokens.Count);
        Assert.All(tokens.Zip(tokens.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"token {pair.Second} follows {pair.First}"));
    }

    [Fact]
    public async Task Claim_TaskCancelledWhileQueued_Skipped()
    {
        await EnqueueAsync(Spec("doomed") with { Priority = 9 }, Spec("kept"));
        AssertApplied(await CancelAsync("doomed"), TaskState.Queued, TaskTrigger.Cancel, TaskState.Cancelled);

        Assert.Equal("kept", Assert.Single(await ClaimAsync(maxTasks: 5)).Id);
        Assert.Empty(await ClaimAsync(maxTasks: 5));
        Assert.Equal(TaskState.Cancelled, await StateOfAsync("doomed"));
    }

    [Fact]
    public async Task Claim_TaskPastItsDeadline_NotHandedOut()
    {
        await EnqueueAsync(Spec("late") with { TimeoutMs = 2_000 });
        Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(await ClaimAsync());
        Assert.Single(await FailOverdueAsync());
        Assert.Equal(TaskState.Failed, await StateOfAsync("late"));
    }
}
