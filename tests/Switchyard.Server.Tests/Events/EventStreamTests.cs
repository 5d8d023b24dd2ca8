using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Server.Security;
using Switchyard.Server.Tests.WebSockets;

namespace Switchyard.Server.Tests.Events;

public sealed class EventStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sse_SubmitClaimComplete_LifecycleInOrderWithSeqAsId()
    {
        await using var server = await TestServer.StartAsync();
        await using var sse = await SseClient.OpenAsync(server);
        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);

        var task = await server.SubmitAsync(new { type = "echo", payload = 1, correlationId = "conv-9" });
        var claimed = await server.ClaimOneAsync();
        using (var complete = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete",
                   new { leaseToken = claimed.Lease!.Token, result = new { answer = 42 } }, Ct))
        {
            complete.EnsureSuccessStatusCode();
        }

        var frames = await sse.ReadUntilAsync(f => f.Event == "task.completed");

        Assert.Equal(["task.queued", "task.started", "task.completed"], frames.Select(f => f.Event));
        var events = frames.Select(f => f.Dto).ToList();
        Assert.All(frames, f => Assert.Equal(f.Dto.Seq.ToString(CultureInfo.InvariantCulture), f.Id));
        Assert.Equal(events.Select(e => e.Seq).Order(), events.Select(e => e.Seq));
        Assert.All(events, e => Assert.Equal((task.Id, "conv-9"), (e.TaskId, e.CorrelationId)));
        Assert.Equal(["queued", "running", "completed"], events.Select(e => e.Data!.State));
        Assert.Equal("""{"answer":42}""", events[2].Data!.Result?.Raw);
        Assert.Equal(("echo", "default", 1), (events[1].Data!.Type, events[1].Data!.Queue, events[1].Data!.Attempt));
    }

    [Fact]
    public async Task Sse_ResultExpires_TaskExpiredAfterTheTaskIsGone()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Engine:ResultTtlMs"] = "0",
            ["Maintenance:RetentionSweepMs"] = "50",
        });
        await using var sse = await SseClient.OpenAsync(server, "?type=task.cancelled,task.expired");
        var task = await server.SubmitAsync(new { type = "echo", payload = 1, correlationId = "conv-x" });
        (await server.Http.PostAsync($"/api/v1/tasks/{task.Id}/cancel", null, Ct)).Dispose();

        var frames = await sse.ReadUntilAsync(f => f.Event == "task.expired");

        Assert.Equal(["task.cancelled", "task.expired"], frames.Select(f => f.Event));
        Assert.Equal((task.Id, "conv-x", "cancelled"), (frames[1].Dto.TaskId, frames[1].Dto.CorrelationId, frames[1].Dto.Data!.State));
        using var gone = await server.Http.GetAsync($"/api/v1/tasks/{task.Id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // Its queue, now empty and without settings, is neither listed nor exported.
        Assert.DoesNotContain("\"name\":\"default\"", await server.Http.GetStringAsync("/api/v1/queues", Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("switchyard_queue_tasks{queue=\"default\"", await server.Http.GetStringAsync("/metrics", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sse_LastEventIdHeader_ResumesAfterThatEvent()
    {
        await using var server = await TestServer.StartAsync();
        var seqs = new List<long>();
        await using (var first = await SseClient.OpenAsync(server))
        {
            for (var i = 0; i < 3; i++)
            {
                await server.SubmitAsync(new { type = "echo", payload = i });
                seqs.Add((await first.NextAsync()).Dto.Seq);
            }
        }

        await using var resumed = await SseClient.OpenAsync(server, lastEventId: seqs[0].ToString(CultureInfo.InvariantCulture));
        var replayed = new[] { await resumed.NextAsync(), await resumed.NextAsync() };
        await using var byParameter = await SseClient.OpenAsync(server, $"?lastEventId={seqs[1]}");

        Assert.Equal(seqs[1..], replayed.Select(f => f.Dto.Seq));
        Assert.Equal(seqs[2], (await byParameter.NextAsync()).Dto.Seq);
    }

    [Fact]
    public async Task Sse_ResumeOlderThanRing_LostNoticeThenOldestHeld()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Events:Capacity"] = "16" });
        var stats = await server.Http.GetFromJsonAsync("/api/v1/events/stats", ContractsJsonContext.Default.EventStatsDto, Ct);
        using (var batch = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch",
                   new { tasks = Enumerable.Range(0, 40).Select(i => new { type = "echo", payload = i }) }, Ct))
        {
            batch.EnsureSuccessStatusCode();
        }

        await using var resumed = await SseClient.OpenAsync(server, "?type=task-queued", stats!.FirstSeq.ToString(CultureInfo.InvariantCulture));
        var lost = await resumed.NextAsync();
        var next = await resumed.NextAsync();

        Assert.Equal("stream.lost", lost.Event);
        var notice = lost.Dto.Notice!;
        Assert.Equal((stats.FirstSeq + 1, stats.FirstSeq + 40 - 16, 40L - 16 - 1), (notice.Requested, notice.ResumedAt!.Value, notice.Missed!.Value));
        Assert.Equal((notice.ResumedAt - 1).ToString(), lost.Id);
        Assert.Equal(notice.ResumedAt, next.Dto.Seq);
    }

    [Fact]
    public async Task Sse_ResumeFromANumberThisNodeNeverGaveOut_LostNoticeSaysMissedIsUnknown()
    {
        await using var server = await TestServer.StartAsync();
        var stats = await server.Http.GetFromJsonAsync("/api/v1/events/stats", ContractsJsonContext.Default.EventStatsDto, Ct);
        var foreign = stats!.LastSeq + 1_000_000;

        await using var resumed = await SseClient.OpenAsync(server, lastEventId: foreign.ToString(CultureInfo.InvariantCulture));
        var lost = await resumed.NextAsync();

        Assert.Equal("stream.lost", lost.Event);
        Assert.Contains("\"missed\":null", lost.Data, StringComparison.Ordinal);
        Assert.Equal(foreign + 1, lost.Dto.Notice!.Requested);
    }

    [Fact]
    public async Task Sse_ServerStops_StreamEndsWithoutWaitingForTheShutdownTimeout()
    {
        var server = await TestServer.StartAsync();
        await using var sse = await SseClient.OpenAsync(server);

        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await Assert.ThrowsAsync<EndOfStreamException>(() => sse.NextAsync());
    }

    [Fact]
    public async Task WebSocket_FilteredStream_OpenFrameThenOnlyMatchingEvents()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(server.Http.BaseAddress!) { Scheme = "ws", Path = "/ws/v1/events", Query = "type=task-completed,task.started" }.Uri;
        await socket.ConnectAsync(uri, Ct);
        Assert.Equal("stream.open", (await ReceiveAsync(socket)).Type);

        var task = await server.SubmitAsync(new { type = "echo", payload = 1 });
        var claimed = await server.ClaimOneAsync();
        using (var complete = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new { leaseToken = claimed.Lease!.Token }, Ct))
        {
            complete.EnsureSuccessStatusCode();
        }

        var started = await ReceiveAsync(socket);
        var completed = await ReceiveAsync(socket);

        Assert.Equal(("task.started", task.Id), (started.Type, started.TaskId));
        Assert.Equal(("task.completed", task.Id), (completed.Type, completed.TaskId));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    [Fact]
    public async Task Heartbeat_WithProgress_PublishedAsTaskProgress()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo", payload = 1 });
        var claimed = await server.ClaimOneAsync();
        await using var sse = await SseClient.OpenAsync(server, $"?type=task-progress&taskId={task.Id}");

        using (var beat = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/heartbeat",
                   new { leaseToken = claimed.Lease!.Token, progress = new { percent = 40, message = "halfway-ish" } }, Ct))
        {
            beat.EnsureSuccessStatusCode();
        }

        var progress = (await sse.NextAsync()).Dto;
        Assert.Equal(("task.progress", 40.0, "halfway-ish"), (progress.Type, progress.Data!.Progress!.Percent!.Value, progress.Data.Progress.Message));
        Assert.Equal("running", progress.Data.State);
    }

    [Fact]
    public async Task WorkerProgressFrames_Burst_FirstAndNewestPublishedInOrder()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 1 });
        var submitted = await server.SubmitAsync(new { type = "echo", payload = 1 });
        var pushed = await worker.ReceiveAsync<TaskMessage>();
        await using var sse = await SseClient.OpenAsync(server, $"?type=task-progress&taskId={submitted.Id}");

        for (var percent = 1; percent <= 5; percent++)
        {
            await worker.SendAsync(new ProgressMessage(pushed.Task.Id, pushed.Task.Lease!.Token, percent, $"step {percent}"));
        }

        var frames = await sse.ReadUntilAsync(f => f.Dto.Data?.Progress?.Percent == 5);
        Assert.Equal(1, frames[0].Dto.Data!.Progress!.Percent);
        Assert.InRange(frames.Count, 2, 5);
        Assert.Equal(frames.Select(f => f.Dto.Data!.Progress!.Percent).Order(), frames.Select(f => f.Dto.Data!.Progress!.Percent));
    }

    [Theory]
    [InlineData("?type=task.nope", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("?queue=bad%20queue", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("?lastEventId=abc", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("?queue=a&queue=b", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("?state=queued", HttpStatusCode.BadRequest, "unknown_filter")]
    public async Task Stream_BadFilter_ProblemWithStableCode(string query, HttpStatusCode status, string code)
    {
        await using var server = await TestServer.StartAsync();

        using var sse = await server.Http.GetAsync("/api/v1/events" + query, Ct);
        using var ws = await server.Http.GetAsync("/ws/v1/events" + query, Ct);

        await ProblemAssert.IsProblem(sse, status, code);
        await ProblemAssert.IsProblem(ws, status, code);
    }

    [Fact]
    public async Task Stream_ApiKeysOn_RefusedWithoutKey()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Security:ApiKeys:ci"] = ApiKeys.Hash("k") });

        using var response = await server.Http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var metrics = await server.Http.GetAsync("/metrics", Ct);

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
    }

    private static async Task<EventDto> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        var result = await socket.ReceiveAsync(buffer, cts.Token);
        Assert.True(result.EndOfMessage);
        return JsonSerializer.Deserialize(buffer.AsSpan(0, result.Count), ContractsJsonContext.Default.EventDto)!;
    }
}
