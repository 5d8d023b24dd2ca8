using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>The limits a claim enforces: paused queues, running tasks per queue and per type, tasks started per interval.</summary>
public abstract partial class TaskStoreConformance
{
    private static QueueSettingsPatch MaxRunning(int? limit) => new() { MaxRunning = Patch<int?>.Set(limit) };

    private static QueueSettingsPatch Rate(int tasks, long intervalMs) => new() { Rate = Patch<RateLimit?>.Set(new RateLimit(tasks, intervalMs)) };

    private async Task EnqueueInAsync(string queue, int count, string prefix, string type = "test.echo", string? group = null) =>
        await EnqueueAsync(Enumerable.Range(0, count).Select(i => Spec($"{prefix}{i}", type) with { Queue = queue, Group = group }).ToArray());

    [Fact]
    public async Task Claim_PausedQueue_NothingHandedOutUntilResumed()
    {
        await EnqueueInAsync("a", 2, "a");
        await EnqueueInAsync("b", 1, "b");
        await UpdateQueueAsync("a", QueueSettingsPatch.Pause);

        Assert.Equal(["b0"], (await ClaimAsync(maxTasks: 10, queues: ["a", "b"])).Select(t => t.Id));
        Assert.Equal(2, await CountAsync(TaskState.Queued, "a"));
        await EnqueueInAsync("a", 1, "late"); // submits still accepted

        await UpdateQueueAsync("a", QueueSettingsPatch.Resume);
        Assert.Equal(3, (await ClaimAsync(maxTasks: 10, queues: ["a"])).Count);
    }

    [Fact]
    public async Task Claim_QueueMaxRunning_NoMoreRunningUntilOneFinishes()
    {
        await EnqueueInAsync(TaskDefaults.Queue, 5, "t");
        await UpdateQueueAsync(TaskDefaults.Queue, MaxRunning(2));

        var first = await ClaimAsync(maxTasks: 10);
        Assert.Equal(2, first.Count);
        Assert.Empty(await ClaimAsync(maxTasks: 10, worker: "worker-2"));
        Assert.True(Holds.TakeCapacity(), "the held claim is reported");

        AssertApplied(await CompleteAsync(first[0]), TaskState.Running, TaskTrigger.Complete, TaskState.Completed);
        Assert.Single(await ClaimAsync(maxTasks: 10, worker: "worker-2"));
        AssertApplied(await FailAsync(first[1], FatalError), TaskState.Running, TaskTrigger.Fail, TaskState.Failed);
        Assert.Single(await ClaimAsync(maxTasks: 10));
        Assert.Equal((2, 1), (await CountAsync(TaskState.Running), await CountAsync(TaskState.Queued)));
    }

    [Fact]
    public async Task Claim_TypeConcurrency_CountsAcrossQueuesAndFreesOnLeaseExpiry()
    {
        await PutTypeAsync(TypeDefinition("llm.chat", concurrency: 2));
        await EnqueueInAsync("a", 2, "a", "llm.chat");
        await EnqueueInAsync("b", 2, "b", "llm.chat");
        await EnqueueInAsync("b", 1, "other", "fs.scan");

        var claimed = await ClaimAsync(maxTasks: 10, queues: ["a", "b"], leaseMs: 5_000);

        Assert.Equal(3, claimed.Count);
        Assert.Equal(2, claimed.Count(t => t.Type == "llm.chat"));
        Assert.Empty(await ClaimAsync(maxTasks: 10, queues: ["a", "b"]));

        Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(3, (await ExpireLeasesAsync()).Count);
        Assert.Equal(2, (await ClaimAsync(maxTasks: 10, queues: ["a", "b"], types: ["llm.chat"])).Count);
    }

    [Fact]
    public async Task Claim_TypeConcurrencyRaised_TakesEffectOnTheNextClaim()
    {
        await PutTypeAsync(TypeDefinition("llm.chat", concurrency: 1));
        await EnqueueInAsync(TaskDefaults.Queue, 3, "t", "llm.chat");
        Assert.Single(await ClaimAsync(maxTasks: 10));

        await PutTypeAsync(TypeDefinition("llm.chat", concurrency: 2));
        Assert.Single(await ClaimAsync(maxTasks: 10));

        await Bounded(Controls.DeleteTaskTypeAsync(new DeleteTaskTypeRequest("llm.chat", Submitter), Ct));
        Assert.Single(await ClaimAsync(maxTasks: 10));
    }

    [Fact]
    public async Task Claim_QueueRate_BurstThenOnePerRefillWithTheNextTokenReported()
    {
        await EnqueueInAsync(TaskDefaults.Queue, 6, "t");
        await UpdateQueueAsync(TaskDefaults.Queue, Rate(2, 1_000));

        Assert.Equal(2, (await ClaimAsync(maxTasks: 10)).Count);
        Assert.Empty(await ClaimAsync(maxTasks: 10));
        Assert.Equal(Time.GetUtcNow().AddMilliseconds(500), Holds.TokenDue);

        Time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(await ClaimAsync(maxTasks: 10));
        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(await ClaimAsync(maxTasks: 10));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await ClaimAsync(maxTasks: 10)).Count); // a long pause refills only up to the burst
    }

    [Fact]
    public async Task Claim_GroupRate_OnlyThatGroupWaits()
    {
        await EnqueueInAsync(TaskDefaults.Queue, 3, "gpt", group: "gpt-4o");
        await EnqueueInAsync(TaskDefaults.Queue, 3, "plain");
        await UpdateQueueAsync(TaskDefaults.Queue, new QueueSettingsPatch
        {
            GroupRates = Patch<IReadOnlyDictionary<string, RateLimit?>?>.Set(new Dictionary<string, RateLimit?> { ["gpt-4o"] = new(1, 60_000) }),
        });

        var claimed = await ClaimAsync(maxTasks: 10, groups: ["gpt-4o"]);

        Assert.Equal(4, claimed.Count);
        Assert.Single(claimed, t => t.Group == "gpt-4o");
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("gpt-4o", Assert.Single(await ClaimAsync(maxTasks: 10, groups: ["gpt-4o"])).Group);
    }

    [Fact]
    public async Task Claim_LimitsAfterRestart_SettingsAndRunningCountsRecovered()
    {
        await PutTypeAsync(TypeDefinition("llm.chat", concurrency: 1));
        await EnqueueInAsync("a", 3, "a", "llm.chat");
        await EnqueueInAsync("b", 3, "b");
        await UpdateQueueAsync("b", MaxRunning(1));
        Assert.Equal(2, (await ClaimAsync(maxTasks: 10, queues: ["a", "b"])).Count);

        await Sut.RestartAsync(Ct);

        Assert.Empty(await ClaimAsync(maxTasks: 10, queues: ["a", "b"]));
        await UpdateQueueAsync("b", MaxRunning(null));
        Assert.Equal(2, (await ClaimAsync(maxTasks: 10, queues: ["a", "b"])).Count);
    }
}
