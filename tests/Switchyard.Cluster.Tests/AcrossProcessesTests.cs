using System.Net.Http.Json;
using Switchyard.Client.Contracts;
using Switchyard.Core.Events;
using Switchyard.Worker;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// What one server process does reaches the clients of another on the same schema: a cancel posted to node B reaches
/// the push worker (the .NET runtime, over a real WebSocket) running the task on node A, and the expiry swept by
/// whichever node leads the retention cleaner reaches the event streams of both.
/// </summary>
public sealed class AcrossProcessesTests(SharedPostgres postgres) : ServerNodesTest(postgres)
{

    [Fact]
    public async Task Cancel_PostedToB_CancelsTheHandlerOfTheWorkerOnA()
    {
        var settings = new { Cluster = new { PollMs = 60_000 } }; // a long poll: the cancel must travel by notification
        await using var a = await StartNodeAsync(settings);
        await using var b = await StartNodeAsync(settings);
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = new SwitchyardWorker(new SwitchyardWorkerOptions { Server = a.BaseAddress, Capacity = 1 });
        worker.Handle("echo", async (context, cancellationToken) =>
        {
            await using var told = cancellationToken.Register(() => cancelled.TrySetResult(context.TaskId));
            started.TrySetResult(context.TaskId);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return context.Payload;
        });
        _ = worker.StartAsync(Ct);

        var id = (await b.SubmitBatchAsync([new { type = "echo", payload = 1 }], Ct))[0];
        Assert.Equal(id, await started.Task.WaitAsync(Bound, Ct));
        using (var cancel = await b.Http.PostAsJsonAsync($"/api/v1/tasks/{id}/cancel", new { reason = "stop" }, Ct))
        {
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync(Ct) + a.OutputTail());
        }

        Assert.Equal(id, await cancelled.Task.WaitAsync(Bound, Ct));
        var task = await a.Http.GetFromJsonAsync($"/api/v1/tasks/{id}", ContractsJsonContext.Default.TaskDto, Ct);
        Assert.Equal("cancelled", task?.State);
    }

    [Fact]
    public async Task Expiry_SweptByTheLeader_EveryNodesStreamTellsItAfterTheTasksEnd()
    {
        var settings = new { Engine = new { ResultTtlMs = 0 }, Maintenance = new { RetentionSweepMs = 50 } };
        await using var a = await StartNodeAsync(settings);
        await using var b = await StartNodeAsync(settings);
        await using var onA = await EventWatch.StartAsync(a.Http, TaskEventTypes.Expired, Ct);
        await using var onB = await EventWatch.StartAsync(b.Http, TaskEventTypes.Expired, Ct);

        var ids = await b.SubmitBatchAsync(Enumerable.Range(0, 3).Select(n => new { type = "echo", payload = n }), Ct);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            using var cancel = await (i % 2 == 0 ? a : b).Http.PostAsJsonAsync($"/api/v1/tasks/{id}/cancel", new { reason = "stop" }, Ct);
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync(Ct));
        }

        await onA.Reached(ids.Count).WaitAsync(Bound, Ct);
        await onB.Reached(ids.Count).WaitAsync(Bound, Ct);
        string[] story = [TaskEventTypes.Queued, TaskEventTypes.Cancelled, TaskEventTypes.Expired];
        Assert.All(ids, id => Assert.Equal(story, onA.ByTask[id]));
        Assert.All(ids, id => Assert.Equal(story, onB.ByTask[id]));
    }

    [Fact]
    public async Task EventStream_ResumedOnAnotherNode_ToldOfTheGapAndGoesOnWithNewEventsOnly()
    {
        var settings = new { };
        await using var a = await StartNodeAsync(settings);
        await using var b = await StartNodeAsync(settings);
        await using var onB = await EventWatch.StartAsync(b.Http, TaskEventTypes.Queued, Ct);
        using var clientA = new Client.SwitchyardClient(a.Http);
        using var clientB = new Client.SwitchyardClient(b.Http);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        reading.CancelAfter(Bound);

        // A subscriber of node A has seen the first task's event; node B has published it too, under its own number.
        await using var streamA = clientA.WatchEventsAsync(cancellationToken: reading.Token).GetAsyncEnumerator(reading.Token);
        Assert.True(await streamA.MoveNextAsync());
        var first = await b.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, Ct);
        var seen = await NextTaskEventAsync(streamA);
        Assert.Equal(first, seen.TaskId);
        await onB.Reached(1).WaitAsync(Bound, Ct);

        // Its stream breaks and resumes through a load balancer that picks node B.
        await using var streamB = clientB.WatchEventsAsync(lastEventId: seen.Seq, cancellationToken: reading.Token).GetAsyncEnumerator(reading.Token);
        Assert.True(await streamB.MoveNextAsync());
        Assert.Equal("stream.open", streamB.Current.Type);
        Assert.True(await streamB.MoveNextAsync());
        Assert.Equal("stream.lost", streamB.Current.Type);
        Assert.Contains("not one of this node's", streamB.Current.Notice?.Message, StringComparison.Ordinal);
        var second = await a.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, Ct);

        // Node B replays none of the events it holds (the first task's among them): the next is the second task's.
        var next = await NextTaskEventAsync(streamB);
        Assert.Equal(second, next.TaskId);
        Assert.Equal(TaskEventTypes.Queued, next.Type);
    }

    private static async Task<EventDto> NextTaskEventAsync(IAsyncEnumerator<EventDto> stream)
    {
        while (await stream.MoveNextAsync())
        {
            if (!stream.Current.IsStreamNotice())
            {
                return stream.Current;
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }
}
