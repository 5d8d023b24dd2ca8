using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Cluster.Tests;

/// <summary>A node whose notifications are lost on the way (a test tap drops them) still learns everything through the polling fallback.</summary>
public sealed class FallbackTests(SharedPostgres postgres) : TwoNodes(postgres, pollMs: 100)
{
    [Fact]
    public async Task EveryNoticeLost_WaitersEventsAndCancelsStillArrive()
    {
        A.Bus.ArrivalFilter = _ => false;
        using var onA = A.Hub.Subscribe();
        var moved = new TaskCompletionSource<AppliedTransition>(TaskCreationOptions.RunContinuationsAsynchronously);
        A.Broker.Moved += move =>
        {
            if (move.Trigger == TaskTrigger.Cancel)
            {
                moved.TrySetResult(move);
            }
        };

        var done = await SubmitAsync(B);
        var waiting = A.Broker.WaitAsync(done, Bound, Ct);
        await CompleteAsync(B, await ClaimAsync(B), "7");
        var cancelled = await SubmitAsync(B);
        Assert.True((await B.Broker.CancelAsync(cancelled, "no", "tester", Ct)).IsSuccess);

        Assert.Equal(TaskState.Completed, (await waiting.WaitAsync(Bound, Ct))?.State);
        var events = await ReadAsync(onA, 5);
        Assert.Equal([TaskEventTypes.Queued, TaskEventTypes.Started, TaskEventTypes.Completed],
            events.Where(e => e.TaskId == done).Select(e => e.Type));
        Assert.Equal("7", events.Single(e => e.Type == TaskEventTypes.Completed).Data.Result?.Raw);
        Assert.Equal([TaskEventTypes.Queued, TaskEventTypes.Cancelled], events.Where(e => e.TaskId == cancelled).Select(e => e.Type));
        Assert.Equal(cancelled, (await moved.Task.WaitAsync(Bound, Ct)).Task.Id);
        Assert.True(A.Listener.Recovered >= 5);
    }

    [Fact]
    public async Task SomeNoticesLost_EachTaskStaysInOrder_NoneTwice()
    {
        A.Bus.ArrivalFilter = id => id % 3 != 0;
        using var onA = A.Hub.Subscribe();
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await SubmitAsync(B));
        }

        foreach (var task in await ClaimAsync(B, 30))
        {
            await CompleteAsync(B, task);
        }

        // A lost move may be skipped when a later one of its task came first, never delivered twice or out of order.
        var events = await ReadUntilAsync(onA, seen => ids.All(id => seen.Any(e => e.TaskId == id && e.Type == TaskEventTypes.Completed)));
        string[] story = [TaskEventTypes.Queued, TaskEventTypes.Started, TaskEventTypes.Completed];
        foreach (var id in ids)
        {
            var told = events.Where(e => e.TaskId == id).Select(e => e.Type).ToArray();
            Assert.Equal(told.Distinct(), told);
            Assert.Equal(story.Where(told.Contains), told);
        }
    }
}
