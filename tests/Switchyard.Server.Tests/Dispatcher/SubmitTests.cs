namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>POST /api/openai against a real server and real dialect workers.</summary>
public sealed class SubmitTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, string?> ShortTimeouts = new() { ["MIN_TASK_TIMEOUT_MS"] = "50" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_WorkerCompletes_200WithResultAndTheRequestAsPayload()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        await worker.ReadyAsync();
        var answering = server.PostAsync("""{"model":"m1","messages":[{"role":"user","content":"hi"}],"data":{"k":[1,2]},"stream":false}""");

        var (taskId, payload) = await worker.ReceiveTaskAsync();
        Assert.Equal("""{"model":"m1","messages":[{"role":"user","content":"hi"}],"data":{"k":[1,2]}}""", payload.GetRawText());
        await worker.CompleteAsync(taskId, """{"text":"hello","n":1.5}""");

        var answer = await answering.WaitAsync(Bound, Ct);
        Assert.Equal(200, answer.Status);
        Assert.Equal($$$"""{"taskId":"{{{taskId}}}","status":"completed","result":{"text":"hello","n":1.5}}""", answer.Text);
        Assert.True(Guid.TryParse(taskId, out var id));
        Assert.Equal(4, id.Version);
    }

    [Fact]
    public async Task Sync_OnlyData_ModelDefaultAndNoMessagesInPayload()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        var answering = server.PostAsync("""{"data":"raw text"}""");

        var (taskId, payload) = await worker.ReceiveTaskAsync();
        Assert.Equal("""{"model":"default","data":"raw text"}""", payload.GetRawText());
        var native = await server.GetNativeAsync(taskId);
        Assert.Equal(("llm.chat", "default", "default", 1), (native.Type, native.Queue, native.Group, native.MaxAttempts));
        await worker.CompleteAsync(taskId, "null", type: "taskResult");
        Assert.Equal($$"""{"taskId":"{{taskId}}","status":"completed","result":null}""", (await answering.WaitAsync(Bound, Ct)).Text);
    }

    [Fact]
    public async Task Sync_WorkerError_500WithTheWorkersText()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        var answering = server.PostAsync("""{"messages":[]}""");

        var (taskId, _) = await worker.ReceiveTaskAsync();
        await worker.FailAsync(taskId, "model exploded: ünïcode");

        var answer = await answering.WaitAsync(Bound, Ct);
        Assert.Equal(500, answer.Status);
        Assert.Equal("""{"error":"model exploded: ünïcode"}""", answer.Text);
        var status = await server.GetStatusAsync(taskId);
        Assert.Equal(("failed", "model exploded: ünïcode"), (status.State, status.Error));
    }

    [Fact]
    public async Task Sync_TimeoutWhileQueued_500TaskTimeoutAndStoredAsFailed()
    {
        await using var server = await DialectServer.StartAsync(ShortTimeouts);
        await using var worker = await server.ConnectAsync("elsewhere");

        var answer = await server.PostAsync("""{"data":1,"group":"nobody","timeout":100}""").WaitAsync(Bound, Ct);

        Assert.Equal((500, """{"error":"Task timeout"}"""), (answer.Status, answer.Text));
        var failed = Assert.Single((await server.Broker.ListAsync(new() { Group = "nobody" }, Ct)).Tasks);
        var status = await server.GetStatusAsync(failed.Id);
        Assert.Equal(("failed", "Task timeout"), (status.State, status.Error));
        Assert.Equal(100, failed.TimeoutMs);
        await worker.AssertNothingPushedAsync();
    }

    [Fact]
    public async Task Sync_TimeoutWhileRunning_500AndTheLateResultIsIgnoredButFreesTheWorker()
    {
        await using var server = await DialectServer.StartAsync(ShortTimeouts);
        await using var worker = await server.ConnectAsync();
        var answering = server.PostAsync("""{"data":"slow","timeout":150}""");
        var (slowId, _) = await worker.ReceiveTaskAsync();

        var answer = await answering.WaitAsync(Bound, Ct);
        Assert.Equal((500, """{"error":"Task timeout"}"""), (answer.Status, answer.Text));

        // The worker is still on the timed-out task until it reports it: the next task waits.
        var next = await server.PostAsync("""{"data":"next","async":true}""");
        Assert.Equal("queued", next.State);
        await worker.AssertNothingPushedAsync();

        await worker.CompleteAsync(slowId, """{"late":true}""");
        var (nextId, payload) = await worker.ReceiveTaskAsync();
        Assert.Equal(next.TaskId, nextId);
        Assert.Equal("\"next\"", payload.GetProperty("data").GetRawText());
        var slow = await server.GetStatusAsync(slowId);
        Assert.Equal(("failed", "Task timeout"), (slow.State, slow.Error));
    }

    [Fact]
    public async Task Sync_WorkerDisconnectsMidTask_500WorkerDisconnected()
    {
        await using var server = await DialectServer.StartAsync();
        var worker = await server.ConnectAsync();
        var answering = server.PostAsync("""{"data":1}""");
        var (taskId, _) = await worker.ReceiveTaskAsync();

        worker.Abort();
        await worker.DisposeAsync();

        var answer = await answering.WaitAsync(Bound, Ct);
        Assert.Equal((500, """{"error":"Worker disconnected"}"""), (answer.Status, answer.Text));
        Assert.Equal("Worker disconnected", (await server.GetStatusAsync(taskId)).Error);
        Assert.Empty(await server.WorkersAsync());
    }

    [Fact]
    public async Task Post_NoWorkerConnected_503NoWorkerAvailable()
    {
        await using var server = await DialectServer.StartAsync();

        var answer = await server.PostAsync("""{"data":1}""");

        Assert.Equal((503, """{"error":"No worker available"}"""), (answer.Status, answer.Text));
        Assert.Empty((await server.Broker.ListAsync(new(), Ct)).Tasks);
    }

    [Fact]
    public async Task Post_QueueFull_503QueueIsFullForSyncAndAsync()
    {
        await using var server = await DialectServer.StartAsync(new Dictionary<string, string?> { ["MAX_QUEUE_LENGTH"] = "2" });
        await using var worker = await server.ConnectAsync("busy");

        Assert.Equal("queued", (await server.PostAsync("""{"data":1,"group":"g","async":true}""")).State);
        Assert.Equal("queued", (await server.PostAsync("""{"data":2,"group":"g","async":true}""")).State);
        var full = await server.PostAsync("""{"data":3,"group":"g","async":true}""");
        var fullSync = await server.PostAsync("""{"data":4,"group":"g"}""");

        Assert.Equal((503, """{"error":"Queue is full"}"""), (full.Status, full.Text));
        Assert.Equal((503, """{"error":"Queue is full"}"""), (fullSync.Status, fullSync.Text));
        Assert.Equal(2, (await server.Broker.ListAsync(new(), Ct)).Tasks.Count);
    }

    [Fact]
    public async Task Post_Checks_BadRequestThenNoWorkerThenQueueFull()
    {
        await using var server = await DialectServer.StartAsync(new Dictionary<string, string?> { ["MAX_QUEUE_LENGTH"] = "1" });
        await server.Server.SubmitAsync(new { type = "llm.chat", group = "parked", payload = new { data = 0 } }); // fills the queue

        Assert.Equal(400, (await server.PostAsync("""{"model":"m"}""")).Status);
        Assert.Equal("No worker available", (await server.PostAsync("""{"data":1,"async":true}""")).Error);
        await using var worker = await server.ConnectAsync("other");
        Assert.Equal(400, (await server.PostAsync("""{"model":"m"}""")).Status);
        Assert.Equal("Queue is full", (await server.PostAsync("""{"data":2,"async":true}""")).Error);
    }

    [Theory]
    [InlineData("not json", "Invalid request: the body is not JSON")]
    [InlineData("", "Invalid request: the body is not JSON")]
    [InlineData("[1]", "Invalid request: data or messages required")]
    [InlineData("{}", "Invalid request: data or messages required")]
    [InlineData("""{"model":"m","data":null,"messages":null}""", "Invalid request: data or messages required")]
    [InlineData("""{"data":1,"group":"a b"}""", "Invalid request: group must be 1-200 characters of ASCII letters, digits and . _ - : /, starting with a letter or digit")]
    [InlineData("""{"data":1,"group":7}""", "Invalid request: group must be 1-200 characters of ASCII letters, digits and . _ - : /, starting with a letter or digit")]
    [InlineData("""{"data":1,"timeout":"5000"}""", "Invalid request: timeout must be a number of milliseconds")]
    public async Task Post_BadBody_400WithError(string body, string error)
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();

        var answer = await server.PostAsync(body);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["error"], answer.Keys);
        Assert.Equal(error, answer.Error);
    }

    [Fact]
    public async Task Async_IdleWorker_ExecutingAtOnceAndThePushAlreadySent()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();

        var answer = await server.PostAsync("""{"data":1,"async":true}""");

        Assert.Equal($$"""{"taskId":"{{answer.TaskId}}","status":"executing"}""", answer.Text);
        Assert.Equal(answer.TaskId, (await worker.ReceiveTaskAsync()).TaskId);
    }

    [Fact]
    public async Task Async_NoIdleMatchingWorker_QueuedAtOnce()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync("gpu");

        var answer = await server.PostAsync("""{"data":1,"group":"cpu","async":true}""");

        Assert.Equal($$"""{"taskId":"{{answer.TaskId}}","status":"queued"}""", answer.Text);
        await worker.AssertNothingPushedAsync();
    }
}
