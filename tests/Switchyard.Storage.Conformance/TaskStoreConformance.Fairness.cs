using System.Collections.Concurrent;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>Fair claims within a queue: scopes (tenants) in weighted round robin, groups of equal priority taking turns.</summary>
public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task Claim_FloodThenSmallScope_SmallScopeFinishesLongBeforeTheFlood()
    {
        const int flood = 10_000;
        const int small = 100;
        await EnqueueAsync(Enumerable.Range(0, flood).Select(i => Spec($"flood-{i:00000}") with { Scope = "big" }).ToArray());

        // Three workers drain the queue, claiming a few at a time and completing what they claimed.
        var finished = new ConcurrentQueue<TaskRecord>();
        var smallDone = 0;
        var floodDone = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var workers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref smallDone) < small)
            {
                var claimed = await ClaimAsync(maxTasks: 5, worker: $"drain-{w}");
                await Task.WhenAll(claimed.Select(async task =>
                {
                    AssertApplied(await CompleteAsync(task), TaskState.Running, TaskTrigger.Complete, TaskState.Completed);
                    finished.Enqueue(task);
                    Interlocked.Increment(ref task.Scope == "small" ? ref smallDone : ref floodDone);
                }));
            }
        }, Ct)).ToArray();

        // Once the workers are well into the flood, the other scope submits its few tasks.
        while (Volatile.Read(ref floodDone) < 300)
        {
            await Task.Yield();
            Assert.False(workers.Any(t => t.IsFaulted), "a worker failed");
        }

        var floodBefore = Volatile.Read(ref floodDone);
        await EnqueueAsync(Enumerable.Range(0, small).Select(i => Spec($"small-{i:000}") with { Scope = "small" }).ToArray());
        await Bounded(Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2), Ct));

        var order = finished.ToArray();
        var lastSmall = Array.FindLastIndex(order, t => t.Scope == "small");
        var floodUntilThen = order.Take(lastSmall + 1).Count(t => t.Scope == "big");
        Assert.Equal(small, order.Count(t => t.Scope == "small"));
        Assert.True(floodUntilThen < 1_000,
            $"the small scope's last task finished after {floodUntilThen} flood tasks ({floodBefore} had finished when it submitted)");
        Assert.True(floodUntilThen - floodBefore < 3 * small, $"{floodUntilThen - floodBefore} flood tasks went while the small scope waited");
        Assert.True(await CountAsync(TaskState.Queued) > flood - 1_000, "the flood is still mostly waiting");
    }

    [Fact]
    public async Task Claim_ScopeWeights_ServedInProportion()
    {
        await EnqueueAsync(Enumerable.Range(0, 100).SelectMany(i => new[]
        {
            Spec($"gold-{i:000}") with { Scope = "gold" },
            Spec($"free-{i:000}") with { Scope = "free" },
        }).ToArray());
        await UpdateQueueAsync(TaskDefaults.Queue, new QueueSettingsPatch
        {
            ScopeWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(new Dictionary<string, int?> { ["gold"] = 3 }),
        });

        var first = await ClaimAsync(maxTasks: 80);

        Assert.InRange(first.Count(t => t.Scope == "gold"), 58, 62);
    }

    [Fact]
    public async Task Claim_ManyScopes_EachScopesHeadInTurnUpToTheClaimsSize()
    {
        await EnqueueAsync(Enumerable.Range(0, 3).SelectMany(round => Enumerable.Range(0, 50)
            .Select(s => Spec($"s{s:00}-{round}") with { Scope = $"s{s:00}" })).ToArray());

        var first = await ClaimAsync(maxTasks: 60);

        Assert.Equal(60, first.Count);
        Assert.Equal(50, first.Take(50).Select(t => t.Scope).Distinct().Count());
        Assert.All(first.Take(50), t => Assert.EndsWith("-0", t.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Claim_TwoScopes_RoundRobinWhilePriorityOrdersWithinEach()
    {
        await EnqueueAsync(
            Spec("a-low") with { Scope = "a", Priority = 1 },
            Spec("a-high") with { Scope = "a", Priority = 9 },
            Spec("a-mid") with { Scope = "a", Priority = 5 },
            Spec("b-1") with { Scope = "b" },
            Spec("b-2") with { Scope = "b" });

        var order = (await ClaimAsync(maxTasks: 10)).Select(t => t.Id);

        Assert.Equal(["a-high", "b-1", "a-mid", "b-2", "a-low"], order);
    }

    [Fact]
    public async Task Claim_GroupsWithinAScope_QueueHeadFirstWhateverItsGroup()
    {
        await EnqueueAsync(Enumerable.Range(0, 4).Select(i => Spec($"x{i}") with { Group = "x" })
            .Concat(Enumerable.Range(0, 2).Select(i => Spec($"y{i}") with { Group = "y" }))
            .Append(Spec("urgent") with { Group = "y", Priority = 7 })
            .ToArray());

        var order = (await ClaimAsync(maxTasks: 10, groups: ["x", "y"])).Select(t => t.Id);

        Assert.Equal(["urgent", "x0", "x1", "x2", "x3", "y0", "y1"], order);
    }

    [Fact]
    public async Task Claim_GroupWeightsSet_GroupsOfEqualPriorityTakeTurns()
    {
        await EnqueueAsync(Enumerable.Range(0, 6).Select(i => Spec($"x{i}") with { Group = "x" })
            .Concat(Enumerable.Range(0, 3).Select(i => Spec($"y{i}") with { Group = "y" }))
            .Append(Spec("urgent") with { Group = "y", Priority = 7 })
            .ToArray());
        await UpdateQueueAsync(TaskDefaults.Queue, new QueueSettingsPatch
        {
            GroupWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(new Dictionary<string, int?> { ["x"] = 2 }),
        });

        var order = (await ClaimAsync(maxTasks: 10, groups: ["x", "y"])).Select(t => t.Id);

        // urgent was y's turn; then x takes two turns for each of y's, the older task first when turns are level.
        Assert.Equal(["urgent", "x0", "x1", "x2", "y0", "x3", "x4", "y1", "x5", "y2"], order);
    }
}
