using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Server.Dialects.Dispatcher;
using Switchyard.Server.Tests.Dispatcher;
using Switchyard.Server.Tests.OpenAi;
using Switchyard.Server.Tests.WebSockets;

namespace Switchyard.Server.Tests;

/// <summary>
/// A stopping server answers the callers who wait for tasks that none of its own workers holds at once (the host would
/// otherwise hold its shutdown for its whole timeout, 30 s, then drop them unanswered), and still lets its workers
/// report the tasks they run.
/// </summary>
public sealed class ShutdownTests
{
    /// <summary>Far below the host's shutdown timeout (30 s), which is what a stop took with any of these callers waiting.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stop_CallersWaitForTasksNoneOfItsWorkersHolds_EachAnsweredInItsOwnShapeAndTheStopIsPrompt()
    {
        var server = await DialectServer.StartAsync(settings: new Dictionary<string, string?> { ["OpenAi:RequireWorker"] = "false" });
        var broker = server.Broker;
        // Connected, so the dialect takes requests, but in a group none of the tasks below is for; it never answers the
        // server's close, so the stop also shows such a worker dropped.
        await using var bystander = await server.ConnectAsync("elsewhere");
        // Leased by a pull worker: it reports over REST whenever it is done, to this server or any other, so a stopping
        // server has no answer to wait for.
        var polled = await server.Server.SubmitAsync(new { type = "echo", group = "nobody" });
        var pulled = await broker.ClaimAsync(new ClaimSpec { WorkerId = "puller", Groups = ["nobody"] }, Ct);
        Assert.Equal(polled.Id, Assert.Single(pulled.Value!).Id);
        var cancelled = new List<string>();
        var queued = 0;
        var allQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        broker.Moved += move =>
        {
            if (move.Task.State == TaskState.Queued && Interlocked.Increment(ref queued) == 3)
            {
                allQueued.TrySetResult(); // each of the three callers registered its wait before its submit
            }

            if (move.Task.State == TaskState.Cancelled)
            {
                lock (cancelled)
                {
                    cancelled.Add(move.Task.Id);
                }
            }
        };

        using var caller = Caller(server.Server); // the server's own client goes with it
        var submitting = caller.PostAsJsonAsync("/api/v1/tasks?wait=true", new { type = "echo", group = "nobody" }, Ct);
        var dialect = caller.SendAsync(ChatHttp.Post("""{"data":1,"group":"nobody"}""", "/api/openai"), Ct);
        var chat = caller.SendAsync(ChatHttp.Post("""{"model":"nobody","messages":[{"role":"user","content":"hi"}]}"""), Ct);
        var polling = broker.WaitAsync(polled.Id, TimeSpan.FromSeconds(60), Ct); // GET ?wait's wait, registered before this returns
        var claiming = broker.ClaimAsync(new ClaimSpec { WorkerId = "puller", Queues = ["other"], WaitMs = 60_000 }, Ct);
        await allQueued.Task.WaitAsync(Bound, Ct);

        await server.DisposeAsync().AsTask().WaitAsync(Bound, Ct);

        using var submitted = await submitting.WaitAsync(Bound, Ct);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var stillQueued = (await submitted.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal(("queued", $"/api/v1/tasks/{stillQueued.Id}"), (stillQueued.State, submitted.Headers.Location?.OriginalString));

        Assert.Equal(TaskState.Running, (await polling.WaitAsync(Bound, Ct))!.State);

        var dialectAnswer = await DialectAnswer.ReadAsync(await dialect.WaitAsync(Bound, Ct));
        Assert.Equal((503, """{"error":"Server is shutting down"}"""), (dialectAnswer.Status, dialectAnswer.Text));

        using var chatAnswer = await chat.WaitAsync(Bound, Ct);
        await ChatHttp.ErrorAsync(chatAnswer, 503, "server_error", ErrorCodes.ShuttingDown);

        var claimed = await claiming.WaitAsync(Bound, Ct);
        Assert.True(claimed.IsSuccess);
        Assert.Empty(claimed.Value);

        // The native tasks go on (durable, for another node or the next start); the two sync dialects' callers have
        // no id to ask for a result later, so theirs were cancelled.
        lock (cancelled)
        {
            Assert.Equal(2, cancelled.Count);
            Assert.DoesNotContain(stillQueued.Id, cancelled);
            Assert.DoesNotContain(polled.Id, cancelled);
        }
    }

    [Fact]
    public async Task Stop_CallerWaitsForARunningTask_GetsTheResultTheWorkerReportsWhileTheServerStops()
    {
        var server = await TestServer.StartAsync();
        using var caller = Caller(server); // the server's own client goes with it
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        var waiting = caller.PostAsJsonAsync("/api/v1/tasks?wait=true", new { type = "echo", payload = 1 }, Ct);
        var held = (await worker.ReceiveAsync<TaskMessage>()).Task;

        var stopping = server.DisposeAsync().AsTask();
        await worker.ReceiveAsync<QuietMessage>();
        Assert.False(waiting.IsCompleted);
        await worker.SendAsync(new CompleteMessage(held.Id, held.Lease!.Token, new JsonText("42")));

        using var answer = await waiting.WaitAsync(Bound, Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var completed = (await answer.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal(("completed", "42"), (completed.State, completed.Result?.Raw));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await worker.ReceiveCloseAsync().WaitAsync(Bound, Ct)); // holding nothing now
        await stopping.WaitAsync(Bound, Ct);
    }

    private static HttpClient Caller(TestServer server) => new() { BaseAddress = server.Http.BaseAddress, Timeout = Bound };
}
