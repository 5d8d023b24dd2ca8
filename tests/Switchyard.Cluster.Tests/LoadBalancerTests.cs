using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Worker;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// Two server processes behind a real nginx configured with the shipped <c>deploy/nginx/switchyard.conf</c>, and
/// clients that know only nginx's address: workers connect through it, callers wait through it, event streams flow
/// through it unbuffered, and a node killed under it costs its tasks no more than the worker's reconnect.
/// </summary>
public sealed class LoadBalancerTests(SharedPostgres postgres) : ServerNodesTest(postgres)
{

    [Fact]
    public async Task ThroughNginx_BothNodesAnswer_WorkersWaitsAndEventStreamsWork()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        await using var nginx = await NginxProxy.StartAsync([a.BaseAddress, b.BaseAddress], Ct);
        using var http = new HttpClient { BaseAddress = nginx.BaseAddress, Timeout = Bound };

        // Round robin: successive requests reach both nodes.
        var nodes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative), Ct);
            Assert.True(ready.IsSuccessStatusCode, nginx.Errors);
            nodes.Add(string.Join(',', ready.Headers.GetValues("Switchyard-Node")));
        }

        Assert.Equal(2, nodes.Count);

        // An event stream through nginx (which must not hold the events back), a worker through nginx (a WebSocket
        // upgrade), and callers waiting through nginx for tasks that land on either node.
        await using var events = await EventWatch.StartAsync(http, TaskEventTypes.Completed, Ct);
        await using var worker = new SwitchyardWorker(new SwitchyardWorkerOptions { Server = nginx.BaseAddress, Capacity = 4 });
        worker.Handle("echo", (context, _) => Task.FromResult(context.Payload));
        _ = worker.StartAsync(Ct);
        await worker.WaitUntilConnectedAsync(Ct).WaitAsync(Bound, Ct);
        using var client = new SwitchyardClient(nginx.BaseAddress);
        for (var i = 0; i < 6; i++)
        {
            var done = await client.SubmitAsync(new SubmitTaskRequest { Type = "echo", Payload = new JsonText($"{i}") }, SubmitWait.For(Bound), Ct);
            Assert.Equal(("completed", $"{i}"), (done.Task.State, done.Task.Result?.Raw));
        }

        await events.Reached(6).WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task ThroughNginx_NodeOfTheWorkerKilledMidTask_WorkerReconnectsToTheOtherAndTheTaskRunsAgainAtOnce()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        await using var nginx = await NginxProxy.StartAsync([a.BaseAddress, b.BaseAddress], Ct);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = new SwitchyardWorker(new SwitchyardWorkerOptions
        {
            Server = nginx.BaseAddress,
            Capacity = 1,
            LeaseMs = 600_000, // far beyond the test's bound: only the worker's report brings the task back in time
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        });
        worker.Handle("echo", async (context, cancellationToken) =>
        {
            if (context.Attempt == 1 && running.TrySetResult())
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken); // a long job, stopped only by the lost connection
            }

            return new JsonText($"{context.Attempt}");
        });
        _ = worker.StartAsync(Ct);
        var before = await worker.WaitUntilConnectedAsync(Ct).WaitAsync(Bound, Ct);
        using var client = new SwitchyardClient(nginx.BaseAddress);
        var id = (await client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct)).Task.Id;
        await running.Task.WaitAsync(Bound, Ct);

        var (holder, other) = await HoldsAsync(a, before) ? (a, b) : (b, a);
        await holder.KillAsync();

        // The caller still knows only nginx, which skips the dead node.
        var done = await client.WaitSettledAsync(id, Bound, Ct);
        Assert.Equal(("completed", 2, "2"), (done.State, done.Attempt, done.Result?.Raw));
        var history = await client.HistoryAsync(id, Ct);
        var handedBack = Assert.Single(history, h => h.Reason?.Contains("Worker disconnected", StringComparison.Ordinal) == true);
        Assert.NotEqual(before, handedBack.Actor);
        Assert.DoesNotContain(history, h => h.Event == "lease_expired");
        Assert.True(await HoldsAsync(other, handedBack.Actor!), other.OutputTail());
        var next = await client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, SubmitWait.For(Bound), Ct);
        Assert.Equal("completed", next.Task.State);
    }

    private static async Task<bool> HoldsAsync(ServerNode node, string workerId) =>
        (await node.Http.GetStringAsync(new Uri("/api/v1/workers", UriKind.Relative), Ct)).Contains($"\"{workerId}\"", StringComparison.Ordinal);
}
