using System.Net.Http.Json;
using System.Net.WebSockets;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;

namespace Switchyard.Server.Tests.WebSockets;

public sealed class WorkerProtocolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Push_TaskSubmitted_PushedAtOnceAndCompletedOverTheSocket()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Name = "t", Capacity = 2 });
        Assert.StartsWith("w", worker.Welcome.WorkerId, StringComparison.Ordinal);

        var waiting = server.Http.PostAsJsonAsync("/api/v1/tasks?wait=30", new { type = "echo", payload = new { n = 1 } }, Ct);
        var pushed = (await worker.ReceiveAsync<TaskMessage>()).Task;
        Assert.Equal("running", pushed.State);
        Assert.Equal(worker.Welcome.WorkerId, pushed.Lease!.WorkerId);
        await worker.SendAsync(new CompleteMessage(pushed.Id, pushed.Lease.Token, new JsonText("{\"ok\":true}")));

        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var done = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal("completed", done.State);
        Assert.Equal("{\"ok\":true}", done.Result?.Raw);
    }

    [Theory]
    [InlineData("""{"type":"complete"}""", "validation_failed", "complete needs taskId and leaseToken")]
    [InlineData("""{"type":"complete","taskId":"TASK"}""", "validation_failed", "complete needs taskId and leaseToken")]
    [InlineData("""{"type":"fail","taskId":"TASK","leaseToken":TOKEN}""", "validation_failed", "fail needs error")]
    [InlineData("""{"type":"progress","leaseToken":TOKEN}""", "validation_failed", "progress needs taskId and leaseToken")]
    [InlineData("""{"type":"heartbeat"}""", "validation_failed", "heartbeat needs tasks")]
    [InlineData("""{"type":"heartbeat","tasks":[{"leaseToken":TOKEN}]}""", "validation_failed", "heartbeat needs tasks")]
    [InlineData("""{"type":"credit"}""", "validation_failed", "credit needs credits, a whole number from 1 to 10000, not 0")]
    [InlineData("""{"type":"credit","credits":-5}""", "validation_failed", "not -5")]
    [InlineData("""{"type":"credit","credits":10000}""", "validation_failed", "past 10000 tasks at once")]
    [InlineData("""{"type":"complete","taskId":7,"leaseToken":TOKEN}""", "invalid_message", "$.taskId: the value has the wrong JSON type")]
    [InlineData("""{"type":"finish","taskId":"TASK"}""", "invalid_message", "'finish' is not a frame type")]
    [InlineData("""{"taskId":"TASK"}""", "invalid_message", "it has no \"type\"")]
    [InlineData("null", "invalid_message", "it is JSON null")]
    [InlineData("""{"type":"progress","taskId":"TASK","leaseToken":TOKEN,"percent":150}""", "validation_failed", "progress percent must be between 0 and 100, not 150")]
    [InlineData("""{"type":"hello","capacity":1}""", "invalid_message", "hello was sent already: a worker says hello once, as its first frame.")]
    [InlineData("""{"type":"welcome","workerId":"w","heartbeatIntervalMs":1,"leaseMs":1,"serverVersion":"x"}""", "invalid_message", "'welcome' frames go from the server to workers, not the other way.")]
    public async Task Frame_MissingWhatItNeeds_AnsweredWithAnErrorAndNothingChanges(string frame, string code, string says)
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        var submitted = await server.SubmitAsync(new { type = "echo" });
        var held = (await worker.ReceiveAsync<TaskMessage>()).Task;

        await worker.SendRawAsync(frame.Replace("TASK", held.Id, StringComparison.Ordinal).Replace("TOKEN", $"{held.Lease!.Token}", StringComparison.Ordinal));

        var error = await worker.ReceiveAsync<ErrorMessage>();
        Assert.Equal(code, error.Code);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        await worker.SendAsync(new PingMessage());
        await worker.ReceiveAsync<PongMessage>(); // the connection goes on
        var task = await server.GetAsync(submitted.Id);
        Assert.Equal(("running", held.Lease.Token), (task.State, task.Lease?.Token));
        await worker.SendAsync(new CompleteMessage(held.Id, held.Lease.Token, new JsonText("1")));
        using var settled = await server.Http.GetAsync($"/api/v1/tasks/{submitted.Id}?wait=30", Ct);
        Assert.Equal("completed", (await settled.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!.State);
    }

    [Fact]
    public async Task Credits_CapacityOne_SecondTaskWaitsForTheFirstToFinish()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        await server.SubmitAsync(new { type = "echo", payload = 1 });
        await server.SubmitAsync(new { type = "echo", payload = 2 });
        var first = (await worker.ReceiveAsync<TaskMessage>()).Task;
        Assert.Equal("1", first.Payload.Raw);
        await worker.SendAsync(new PingMessage());
        await worker.ReceiveAsync<PongMessage>();
        await worker.SendAsync(new CompleteMessage(first.Id, first.Lease!.Token));
        var second = (await worker.ReceiveAsync<TaskMessage>()).Task;
        Assert.Equal("2", second.Payload.Raw);
    }

    [Fact]
    public async Task Disconnect_MidTask_TaskHandedBackAndPushedToAnotherWorker()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        var first = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        var held = (await first.ReceiveAsync<TaskMessage>()).Task;
        first.Abort();
        await first.DisposeAsync();

        await using var second = await ExpectHandedBackAsync(server, task, held);
    }

    [Fact]
    public async Task Cancel_RunningTask_WorkerToldAtOnceAndLateResultRefused()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        var task = await server.SubmitAsync(new { type = "echo" });
        var held = (await worker.ReceiveAsync<TaskMessage>()).Task;
        (await server.Http.PostAsync($"/api/v1/tasks/{task.Id}/cancel", null, Ct)).Dispose();

        var cancel = await worker.ReceiveAsync<CancelMessage>();
        Assert.Equal(task.Id, cancel.TaskId);
        await worker.SendAsync(new CompleteMessage(held.Id, held.Lease!.Token));
        var refused = await worker.ReceiveAsync<ErrorMessage>();
        Assert.Equal("task_cancelled", refused.Code);
        Assert.Equal("cancelled", (await server.GetAsync(task.Id)).State);
    }

    [Fact]
    public async Task Push_TwoIdleWorkers_TakeTurns()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = await TestWorker.ConnectAsync(server, new HelloMessage { Name = "first", Capacity = 1 });
        await using var second = await TestWorker.ConnectAsync(server, new HelloMessage { Name = "second", Capacity = 1 });
        TestWorker[] workers = [first, second];
        var receiving = workers.Select(w => w.ReceiveAsync<TaskMessage>()).ToArray();
        var served = new List<int>();

        for (var n = 0; n < 8; n++)
        {
            var submitted = await server.SubmitAsync(new { type = "echo" });
            var arrived = await Task.WhenAny(receiving).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var which = Array.IndexOf(receiving, arrived);
            var pushed = (await arrived).Task;
            Assert.Equal(submitted.Id, pushed.Id);
            served.Add(which);
            await workers[which].SendAsync(new CompleteMessage(pushed.Id, pushed.Lease!.Token, new JsonText("1")));
            using (await server.Http.GetAsync($"/api/v1/tasks/{pushed.Id}?wait=30", Ct))
            {
                // settled: both workers are idle again before the next task
            }

            receiving[which] = workers[which].ReceiveAsync<TaskMessage>();
        }

        first.Abort(); // one receive is still pending: no close handshake beside it
        second.Abort();
        Assert.Equal([served[0], 1 - served[0], served[0], 1 - served[0], served[0], 1 - served[0], served[0], 1 - served[0]], served);
    }

    [Fact]
    public async Task Groups_TaskInOtherGroup_OnlyToWorkerOfThatGroup()
    {
        await using var server = await TestServer.StartAsync();
        await using var plain = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 5 });
        await using var gpu = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 5, Groups = ["gpu"] });
        var task = await server.SubmitAsync(new { type = "echo", group = "gpu" });
        var pushed = (await gpu.ReceiveAsync<TaskMessage>()).Task;
        Assert.Equal(task.Id, pushed.Id);
        await plain.SendAsync(new PingMessage());
        await plain.ReceiveAsync<PongMessage>();
    }

    [Fact]
    public async Task Quiet_ViaApi_WorkerToldAndGivenNoMoreTasks()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 5 });
        (await server.Http.PostAsync($"/api/v1/workers/{worker.Welcome.WorkerId}/quiet", null, Ct)).EnsureSuccessStatusCode().Dispose();
        await worker.ReceiveAsync<QuietMessage>();
        var task = await server.SubmitAsync(new { type = "echo" });
        await worker.SendAsync(new PingMessage());
        await worker.ReceiveAsync<PongMessage>();
        Assert.Equal("queued", (await server.GetAsync(task.Id)).State);
        var workers = await server.Http.GetFromJsonAsync("/api/v1/workers", ContractsJsonContext.Default.WorkerListResponse, Ct);
        Assert.True(Assert.Single(workers!.Workers).Quiet);
    }

    [Fact]
    public async Task Terminate_WorkerIgnoresIt_DisconnectedAfterGraceAndTaskRetried()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        await using var stubborn = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        var held = (await stubborn.ReceiveAsync<TaskMessage>()).Task;

        (await server.Http.PostAsync($"/api/v1/workers/{stubborn.Welcome.WorkerId}/terminate?graceMs=200", null, Ct)).EnsureSuccessStatusCode().Dispose();
        Assert.Equal(200, (await stubborn.ReceiveAsync<TerminateMessage>()).GraceMs);
        // The worker neither reports its task nor closes: the server closes once the grace has passed.
        Assert.Contains(await stubborn.ReceiveCloseAsync(), new WebSocketCloseStatus?[] { WebSocketCloseStatus.NormalClosure, null });

        await using var next = await ExpectHandedBackAsync(server, task, held);
        var workers = await server.Http.GetFromJsonAsync("/api/v1/workers", ContractsJsonContext.Default.WorkerListResponse, Ct);
        Assert.Equal(next.Welcome.WorkerId, Assert.Single(workers!.Workers).Id);
    }

    [Fact]
    public async Task Hello_WithVersion_ShownInTheWorkerList()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Name = "gpu-1", Version = "my-worker/2.3" });
        var workers = await server.Http.GetFromJsonAsync("/api/v1/workers", ContractsJsonContext.Default.WorkerListResponse, Ct);
        var listed = Assert.Single(workers!.Workers);
        Assert.Equal(("gpu-1", "my-worker/2.3"), (listed.Name, listed.Version));
    }

    [Fact]
    public async Task Hello_AbandonedTasks_HandedBackBeforeTheWelcomeWhenTheTokenStillHolds()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo", maxAttempts = 3 });
        var held = await server.ClaimOneAsync("gone-worker"); // as a server that died would have left it: running, leased
        var finished = await server.SubmitAsync(new { type = "echo" });
        var done = await server.ClaimOneAsync("gone-worker");
        (await server.Http.PostAsJsonAsync($"/api/v1/tasks/{finished.Id}/complete", new { leaseToken = done.Lease!.Token, result = 1 }, Ct)).Dispose();

        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage
        {
            Types = ["other"], // takes none of them: the test reads the store, not a push
            Abandoned = [new LeaseRef(task.Id, held.Lease!.Token), new LeaseRef(finished.Id, done.Lease.Token), new LeaseRef("unknown", 7)],
        });

        var after = await server.GetAsync(task.Id);
        Assert.Equal(("queued", 1, "worker_disconnected"), (after.State, after.Attempt, after.Error?.Code));
        Assert.Null(after.Lease);
        var history = await server.Http.GetFromJsonAsync($"/api/v1/tasks/{task.Id}/history", ContractsJsonContext.Default.TaskHistoryResponse, Ct);
        Assert.Equal(worker.Welcome.WorkerId, history!.Entries[^1].Actor);
        Assert.Equal("completed", (await server.GetAsync(finished.Id)).State); // a token that no longer holds changes nothing
    }

    [Fact]
    public async Task Hello_AbandonedTaskAnotherConnectionHolds_LeftWithItsHolder()
    {
        await using var server = await TestServer.StartAsync();
        await using var holder = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        var task = await server.SubmitAsync(new { type = "echo" });
        var held = (await holder.ReceiveAsync<TaskMessage>()).Task;

        // Another connection names the task as abandoned, with the holder's token: the holder still runs it.
        await using var other = await TestWorker.ConnectAsync(server, new HelloMessage
        {
            Types = ["other"],
            Abandoned = [new LeaseRef(task.Id, held.Lease!.Token)],
        });

        var after = await server.GetAsync(task.Id);
        Assert.Equal(("running", held.Lease.Token), (after.State, after.Lease?.Token));
        await holder.SendAsync(new CompleteMessage(held.Id, held.Lease.Token, new JsonText("1")));
        using var settled = await server.Http.GetAsync($"/api/v1/tasks/{task.Id}?wait=30", Ct);
        Assert.Equal("completed", (await settled.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!.State);
    }

    [Fact]
    public async Task Hello_AbandonedWithoutTaskId_Refused()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.OpenAsync(server);
        await worker.SendAsync(new HelloMessage { Abandoned = [new LeaseRef("", 3)] });

        var error = Assert.IsType<ErrorMessage>(await worker.ReceiveAsync());
        Assert.Equal("validation_failed", error.Code);
        Assert.Contains("abandoned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_NameWithNul_Refused()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.OpenAsync(server);
        await worker.SendAsync(new HelloMessage { Name = "gpu\0box" });

        var error = Assert.IsType<ErrorMessage>(await worker.ReceiveAsync());
        Assert.Equal(("validation_failed", "name must not contain the NUL character (U+0000)"), (error.Code, error.Message));
    }

    [Fact]
    public async Task Hello_Missing_ConnectionClosedWithPolicyViolation()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(server.Http.BaseAddress!) { Scheme = "ws", Path = "/ws/v1/worker" }.Uri, Ct);
        await socket.SendAsync("{\"type\":\"ping\"}"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, Ct);
        var result = await socket.ReceiveAsync(new ArraySegment<byte>(new byte[1024]), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Equal("the first frame must be hello", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Hello_NeverSent_ClosedWithPolicyViolationSayingSo()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(server.Http.BaseAddress!) { Scheme = "ws", Path = "/ws/v1/worker" }.Uri, Ct);

        // Nothing is sent: after the hello timeout the server closes with a close frame (before, it aborted the connection).
        var result = await socket.ReceiveAsync(new ArraySegment<byte>(new byte[1024]), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, result.MessageType);
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, "no hello within 10 s"), (socket.CloseStatus, socket.CloseStatusDescription));
    }

    /// <summary>Connects a fresh worker and checks it gets <paramref name="task"/> again, as a retry after a disconnect.</summary>
    private static async Task<TestWorker> ExpectHandedBackAsync(TestServer server, TaskDto task, TaskDto held)
    {
        var next = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        var again = (await next.ReceiveAsync<TaskMessage>()).Task;
        Assert.Equal(task.Id, again.Id);
        Assert.Equal(2, again.Attempt);
        Assert.True(again.Lease!.Token > held.Lease!.Token);
        Assert.Equal("worker_disconnected", again.Error?.Code);
        return next;
    }
}
