using System.Net;
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

    [Fact]
    public async Task Workers_ListedAndToldOnAnyNode_EveryNodesWorkersWithTheirNode()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        await using var worker = new SwitchyardWorker(new SwitchyardWorkerOptions { Server = a.BaseAddress, Name = "gpu-1", Capacity = 3 });
        worker.Handle("echo", (context, _) => Task.FromResult(context.Payload));
        _ = worker.StartAsync(Ct);
        var id = await worker.WaitUntilConnectedAsync(Ct).WaitAsync(Bound, Ct);
        var nodeA = await NodeIdAsync(a);

        // Node B knows A's worker from the shared store, once A has written it: where it is, but not its credits or
        // tasks, which only A knows.
        WorkerDto? seen = null;
        await Poll.UntilAsync(async () => (seen = (await WorkersAsync(b)).SingleOrDefault(w => w.Id == id)) is not null, Bound, Ct, a, b);
        Assert.Equal(("gpu-1", nodeA, "switchyard-dotnet/1", false), (seen!.Name, seen.Node, seen.Version, seen.Quiet));
        Assert.Equal(["echo"], seen.Types);
        Assert.Null(seen.Credits);
        Assert.Null(seen.Tasks);

        var onA = Assert.Single(await WorkersAsync(a));
        Assert.Equal((id, nodeA, 3), (onA.Id, onA.Node, onA.Credits));
        Assert.Empty(onA.Tasks!);

        // Told through B, the worker goes quiet, then terminates, on A.
        using (var quiet = await b.Http.PostAsync(new Uri($"/api/v1/workers/{id}/quiet", UriKind.Relative), null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, quiet.StatusCode);
        }

        await Poll.UntilAsync(async () => (await WorkersAsync(a)).Single().Quiet, Bound, Ct, a, b);
        using (var terminate = await b.Http.PostAsync(new Uri($"/api/v1/workers/{id}/terminate?graceMs=0", UriKind.Relative), null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        await worker.Completion.WaitAsync(Bound, Ct);
        using var unknown = await b.Http.PostAsync(new Uri("/api/v1/workers/nobody/quiet", UriKind.Relative), null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<IReadOnlyList<WorkerDto>> WorkersAsync(ServerNode node) =>
        (await node.Http.GetFromJsonAsync(new Uri("/api/v1/workers", UriKind.Relative), ContractsJsonContext.Default.WorkerListResponse, Ct))!.Workers;

    private static async Task<string> NodeIdAsync(ServerNode node)
    {
        using var ready = await node.Http.GetAsync(new Uri("/readyz", UriKind.Relative), Ct);
        return string.Join(',', ready.Headers.GetValues("Switchyard-Node"));
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
