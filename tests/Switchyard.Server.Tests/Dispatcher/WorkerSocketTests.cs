using System.Net;
using System.Net.WebSockets;
using Switchyard.Core.Model;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>The worker WebSocket /ws?group=: connect, routing, one task at a time, reports, pings.</summary>
public sealed class WorkerSocketTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_Group_ConnectedFrameAndRegisteredAsADispatcherWorker()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync("gpt-4o");

        Assert.Matches("^W[0-9]+-[0-9a-f]{8}$", worker.WorkerId);
        Assert.Equal(
            $$"""{"type":"connected","workerId":"{{worker.WorkerId}}","message":"Connected to Task Dispatcher"}""",
            worker.Connected.GetRawText());
        var listed = Assert.Single(await server.WorkersAsync());
        Assert.Equal((worker.WorkerId, "dispatcher", "dispatcher"), (listed.Id, listed.Name, listed.Protocol));
        Assert.Empty(listed.Tasks!);
        Assert.Equal(["default"], listed.Queues);
        Assert.Equal(["gpt-4o"], listed.Groups);
        Assert.Equal(["llm.chat"], listed.Types);
    }

    [Fact]
    public async Task Dispatch_TwoIdleWorkersOfTheGroup_TakeTurns()
    {
        await using var server = await DialectServer.StartAsync();
        await using var first = await server.ConnectAsync("gt");
        await using var second = await server.ConnectAsync("gt");
        await using var other = await server.ConnectAsync("gu"); // its wake-ups must not change whose turn it is
        DialectWorker[] workers = [first, second];
        var receiving = workers.Select(w => w.ReceiveTaskAsync(Bound)).ToArray();
        var served = new List<int>();

        for (var n = 0; n < 8; n++)
        {
            var answering = server.PostAsync($$"""{"data":{{n}},"group":"gt"}""");
            var arrived = await Task.WhenAny(receiving).WaitAsync(Bound, Ct);
            var which = Array.IndexOf(receiving, arrived);
            served.Add(which);
            await workers[which].CompleteAsync((await arrived).TaskId, "1");
            Assert.Equal(200, (await answering.WaitAsync(Bound, Ct)).Status);
            receiving[which] = workers[which].ReceiveTaskAsync(Bound);
        }

        first.Abort(); // one receive is still pending: no close handshake beside it
        second.Abort();
        Assert.Equal([served[0], 1 - served[0], served[0], 1 - served[0], served[0], 1 - served[0], served[0], 1 - served[0]], served);
    }

    [Fact]
    public async Task Connect_NoGroup_DefaultGroup()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();

        Assert.Equal(["default"], Assert.Single(await server.WorkersAsync()).Groups);
    }

    [Fact]
    public async Task Routing_GroupTask_OnlyToThatGroupWhileDefaultTasksGoToAny()
    {
        await using var server = await DialectServer.StartAsync();
        await using var plain = await server.ConnectAsync();
        await using var gpu = await server.ConnectAsync("gpu");

        var forGpu = await server.PostAsync("""{"data":"g","group":"gpu","async":true}""");
        Assert.Equal(forGpu.TaskId, (await gpu.ReceiveTaskAsync()).TaskId);
        var forAny = await server.PostAsync("""{"data":"d","async":true}""");
        Assert.Equal(forAny.TaskId, (await plain.ReceiveTaskAsync()).TaskId);
        var waiting = await server.PostAsync("""{"data":"g2","group":"gpu","async":true}""");

        Assert.Equal("queued", waiting.State);
        await plain.AssertNothingPushedAsync();
        await plain.CompleteAsync(forAny.TaskId!, "1");
        await plain.AssertNothingPushedAsync();
        await gpu.CompleteAsync(forGpu.TaskId!, "2");
        Assert.Equal(waiting.TaskId, (await gpu.ReceiveTaskAsync()).TaskId);
    }

    [Fact]
    public async Task Connect_QueueWaiting_HeadDispatchedWithoutReady()
    {
        await using var server = await DialectServer.StartAsync();
        await using var other = await server.ConnectAsync("other");
        var first = await server.PostAsync("""{"data":1,"group":"late","async":true}""");
        var second = await server.PostAsync("""{"data":2,"group":"late","async":true}""");

        await using var late = await server.ConnectAsync("late");

        Assert.Equal(first.TaskId, (await late.ReceiveTaskAsync()).TaskId);
        Assert.Equal(1, (await server.GetStatusAsync(second.TaskId!)).Body.GetProperty("position").GetInt64());
    }

    [Fact]
    public async Task Report_CompleteOrError_FreesTheWorkerAndTheNextTaskFollowsWithoutReady()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        await worker.ReadyAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await server.PostAsync($$"""{"data":{{i}},"async":true}""")).TaskId!);
        }

        var (first, _) = await worker.ReceiveTaskAsync();
        await worker.AssertNothingPushedAsync();
        await worker.CompleteAsync(first, "1");
        var (second, _) = await worker.ReceiveTaskAsync();
        await worker.FailAsync(second, "no");
        var (third, _) = await worker.ReceiveTaskAsync();

        Assert.Equal(ids, [first, second, third]);
    }

    [Fact]
    public async Task Ready_Repeated_StillOneTaskAtATime()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        await worker.ReadyAsync();
        await worker.ReadyAsync();
        await worker.AssertNothingPushedAsync();
        await worker.ReadyAsync();
        await worker.AssertNothingPushedAsync();

        var first = await server.PostAsync("""{"data":1,"async":true}""");
        var second = await server.PostAsync("""{"data":2,"async":true}""");
        await worker.ReadyAsync();

        Assert.Equal(("executing", "queued"), (first.State, second.State));
        Assert.Equal(first.TaskId, (await worker.ReceiveTaskAsync()).TaskId);
        await worker.AssertNothingPushedAsync();
    }

    [Fact]
    public async Task Frames_PingAndNoise_PongAndTheRestIgnored()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();

        await worker.SendAsync("not json");
        await worker.SendAsync("""{"type":"dance"}""");
        await worker.SendAsync("""[1,2]""");
        await worker.CompleteAsync(Guid.NewGuid().ToString(), "1");
        await worker.SendAsync("""{"type":"task_error"}""");
        await worker.SendAsync("""{"type":"ping"}""");

        Assert.Equal("""{"type":"pong"}""", (await worker.ReceiveAsync("pong")).GetRawText());
        var answering = server.PostAsync("""{"data":1}""");
        var (taskId, _) = await worker.ReceiveTaskAsync();
        await worker.CompleteAsync(taskId, "true");
        Assert.Equal(200, (await answering.WaitAsync(Bound, Ct)).Status);
    }

    [Fact]
    public async Task NativeChatTask_PushedToADialectWorker_PayloadAsSubmitted()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        var task = await server.Server.SubmitAsync(new { type = "llm.chat", payload = new { prompt = "hi" } });

        var (taskId, payload) = await worker.ReceiveTaskAsync();
        await worker.CompleteAsync(taskId, """{"ok":1}""");

        Assert.Equal((task.Id, """{"prompt":"hi"}"""), (taskId, payload.GetRawText()));
        var done = await server.Broker.WaitAsync(task.Id, Bound, Ct);
        Assert.Equal((TaskState.Completed, """{"ok":1}"""), (done!.State, done.Result?.Raw));
    }

    [Fact]
    public async Task Terminate_ThroughTheWorkersApi_DisconnectedAndItsTaskFails()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        var answering = server.PostAsync("""{"data":1}""");
        await worker.ReceiveTaskAsync();

        (await server.Server.Http.PostAsync($"/api/v1/workers/{worker.WorkerId}/terminate?graceMs=0", null, Ct)).Dispose();

        Assert.Equal("Worker disconnected", (await answering.WaitAsync(Bound, Ct)).Error);
        var dropped = await Record.ExceptionAsync(() => worker.ReceiveAsync());
        Assert.True(dropped is WebSocketException or InvalidOperationException, dropped?.ToString());
    }

    [Fact]
    public async Task Upgrade_MissingOrBadGroup_400()
    {
        await using var server = await DialectServer.StartAsync();

        using var plain = await server.Server.Http.GetAsync("/ws", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("""{"error":"This route speaks WebSocket only"}""", await plain.Content.ReadAsStringAsync(Ct));

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(server.Server.Http.BaseAddress!) { Scheme = "ws", Path = "/ws", Query = "group=a%20b" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, Ct));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }
}
