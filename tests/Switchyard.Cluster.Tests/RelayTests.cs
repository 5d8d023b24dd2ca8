using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// Two brokers on one PostgreSQL schema in one process, each with its own pool, bus and listener: what one node does,
/// the other learns through LISTEN/NOTIFY (or, when notices are lost, through the polling fallback).
/// </summary>
public sealed class RelayTests(SharedPostgres postgres) : TwoNodes(postgres, pollMs: 60_000) // a long poll: what arrives came by notification
{
    [Fact]
    public async Task Wait_OnA_CompletedOnB_ReturnsTheFullTask()
    {
        var id = await SubmitAsync(B, "{\"n\":1}");
        var waiting = A.Broker.WaitAsync(id, Bound, Ct);
        var claimed = await ClaimAsync(B);
        await CompleteAsync(B, claimed, "{\"ok\":true}");

        var done = await waiting.WaitAsync(Bound, Ct);
        Assert.NotNull(done);
        Assert.Equal(TaskState.Completed, done.State);
        Assert.Equal("{\"ok\":true}", done.Result?.Raw);
        Assert.Equal("{\"n\":1}", done.Payload.Raw);
    }

    [Fact]
    public async Task Events_MadeOnB_AppearOnBothNodesInTheSameOrderPerTask()
    {
        using var onA = A.Hub.Subscribe();
        using var onB = B.Hub.Subscribe();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SubmitAsync(i % 2 == 0 ? A : B, "null"));
        }

        for (var i = 0; i < 5; i++)
        {
            var task = await ClaimAsync(i % 2 == 0 ? B : A);
            await CompleteAsync(i % 2 == 0 ? A : B, task, "1");
        }

        var seenA = await ReadAsync(onA, 15);
        var seenB = await ReadAsync(onB, 15);
        foreach (var id in ids)
        {
            string[] story = [TaskEventTypes.Queued, TaskEventTypes.Started, TaskEventTypes.Completed];
            Assert.Equal(story, seenA.Where(e => e.TaskId == id).Select(e => e.Type));
            Assert.Equal(story, seenB.Where(e => e.TaskId == id).Select(e => e.Type));
        }
    }

    [Fact]
    public async Task Submit_OnB_WakesClaimersOnA()
    {
        var arrived = A.Broker.WorkArrived.Next;
        var claim = A.Broker.ClaimAsync(new ClaimSpec { WorkerId = "waiting-on-a", WaitMs = 20_000 }, Ct);
        var id = await SubmitAsync(B, "null");

        await arrived.WaitAsync(Bound, Ct);
        var claimed = await claim.WaitAsync(Bound, Ct);
        Assert.True(claimed.IsSuccess);
        Assert.Equal(id, Assert.Single(claimed.Value).Id);
    }

    [Fact]
    public async Task Cancel_OnB_OfATaskRunningOnA_RaisesMovedOnA()
    {
        var id = await SubmitAsync(A, "null");
        await ClaimAsync(A);
        var moved = new TaskCompletionSource<AppliedTransition>(TaskCreationOptions.RunContinuationsAsynchronously);
        A.Broker.Moved += move =>
        {
            if (move.Task.Id == id && move.Trigger == TaskTrigger.Cancel)
            {
                moved.TrySetResult(move);
            }
        };

        var cancelled = await B.Broker.CancelAsync(id, "stop it", "tester", Ct);
        Assert.True(cancelled.IsSuccess);

        var seen = await moved.Task.WaitAsync(Bound, Ct);
        Assert.Equal(TaskState.Running, seen.From);
        Assert.Equal(TaskState.Cancelled, seen.Task.State);
    }

    [Fact]
    public async Task Progress_ReportedOnB_ReachesReadersAndTheBusOnA()
    {
        // Subscribed before the submit: the task's queued event comes back through the cluster and may be published on
        // A before SubmitAsync returns here, so a subscription made after it could miss it and wait for an event too many.
        using var events = A.Hub.Subscribe();
        var id = await SubmitAsync(A, "null");
        using var feed = A.Feed.Subscribe(id);
        var task = await ClaimAsync(B);
        var story = await ReadAsync(events, 2); // the bus knows the task runs
        Assert.Equal([TaskEventTypes.Queued, TaskEventTypes.Started], story.Select(e => e.Type));
        Assert.All(story, e => Assert.Equal(id, e.TaskId));
        Assert.True(B.Broker.ReportProgress(id, task.Lease!.Token, new TaskProgress(50, "half", null)));

        var report = await feed.Reader.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct);
        Assert.Equal(50, report.Percent);
        var progress = Assert.Single(await ReadAsync(events, 1));
        Assert.Equal(TaskEventTypes.Progress, progress.Type);
        Assert.Equal("half", progress.Data.Progress?.Message);
    }

    [Fact]
    public async Task Progress_OfATaskStartedBeforeTheNodeJoined_ReachesItsBus()
    {
        var id = await SubmitAsync(A, "null");
        var task = await ClaimAsync(B);
        await using var late = await ClusterNode.StartAsync(ConnectionString, Schema, pollMs: 60_000, Ct); // never saw it start
        using var events = late.Hub.Subscribe();

        Assert.True(B.Broker.ReportProgress(id, task.Lease!.Token, new TaskProgress(30, "a third", null)));

        var progress = Assert.Single(await ReadAsync(events, 1));
        Assert.Equal((TaskEventTypes.Progress, id, "a third"), (progress.Type, progress.TaskId, progress.Data.Progress?.Message));
    }

    [Fact]
    public async Task LargeResult_TravelsThin_AndTheEventStillCarriesIt()
    {
        using var onA = A.Hub.Subscribe();
        var id = await SubmitAsync(B, "null");
        var task = await ClaimAsync(B);
        var big = "\"" + new string('x', 20_000) + "\"";
        await CompleteAsync(B, task, big);

        var completed = (await ReadAsync(onA, 3)).Single(e => e.TaskId == id && e.Type == TaskEventTypes.Completed);
        Assert.Equal(big, completed.Data.Result?.Raw);
    }
}
