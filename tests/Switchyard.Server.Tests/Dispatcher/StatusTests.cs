using System.Net.Http.Json;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>GET /api/task/{taskId}: one shape per state, for the dialect's tasks and any other llm.chat task.</summary>
public sealed class StatusTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_Queued_EnqueuedAtAndPositionInClaimOrder()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync("elsewhere");
        var first = (await server.PostAsync("""{"data":1,"group":"q","async":true}""")).TaskId!;
        var second = (await server.PostAsync("""{"data":2,"group":"q","async":true}""")).TaskId!;

        var created = (await server.GetNativeAsync(first)).CreatedAt.ToUnixTimeMilliseconds();
        Assert.Equal($$"""{"taskId":"{{first}}","status":"queued","enqueuedAt":{{created}},"position":1}""", (await server.GetStatusAsync(first)).Text);
        Assert.Equal(2, (await server.GetStatusAsync(second)).Body.GetProperty("position").GetInt64());

        var urgent = await server.Server.SubmitAsync(new { type = "llm.chat", group = "q", priority = 5 });
        Assert.Equal(1, (await server.GetStatusAsync(urgent.Id)).Body.GetProperty("position").GetInt64());
        Assert.Equal(2, (await server.GetStatusAsync(first)).Body.GetProperty("position").GetInt64());
        Assert.Equal(3, (await server.GetStatusAsync(second)).Body.GetProperty("position").GetInt64());
    }

    [Fact]
    public async Task Get_Executing_WorkerIdAndStartedAt()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        var taskId = (await server.PostAsync("""{"data":1,"async":true}""")).TaskId!;
        await worker.ReceiveTaskAsync();

        var started = (await server.GetNativeAsync(taskId)).StartedAt!.Value.ToUnixTimeMilliseconds();
        Assert.Equal(
            $$"""{"taskId":"{{taskId}}","status":"executing","workerId":"{{worker.WorkerId}}","startedAt":{{started}}}""",
            (await server.GetStatusAsync(taskId)).Text);
    }

    [Fact]
    public async Task Get_CompletedAndFailed_ResultOrErrorWithTheirTimes()
    {
        await using var server = await DialectServer.StartAsync();
        await using var worker = await server.ConnectAsync();
        var good = server.PostAsync("""{"data":"good"}""");
        var (goodId, _) = await worker.ReceiveTaskAsync();
        await worker.CompleteAsync(goodId, """{"answer":[42]}""");
        await good.WaitAsync(Bound, Ct);
        var bad = server.PostAsync("""{"data":"bad"}""");
        var (badId, _) = await worker.ReceiveTaskAsync();
        await worker.FailAsync(badId, "out of memory");
        await bad.WaitAsync(Bound, Ct);

        var completedAt = (await server.GetNativeAsync(goodId)).FinishedAt!.Value.ToUnixTimeMilliseconds();
        var failedAt = (await server.GetNativeAsync(badId)).FinishedAt!.Value.ToUnixTimeMilliseconds();
        Assert.Equal(
            $$"""{"taskId":"{{goodId}}","status":"completed","result":{"answer":[42]},"completedAt":{{completedAt}}}""",
            (await server.GetStatusAsync(goodId)).Text);
        Assert.Equal(
            $$"""{"taskId":"{{badId}}","status":"failed","error":"out of memory","failedAt":{{failedAt}}}""",
            (await server.GetStatusAsync(badId)).Text);
    }

    [Theory]
    [InlineData("/api/task/")]
    [InlineData("/api/task")]
    public async Task Get_EmptyId_400TaskIdRequired(string path)
    {
        await using var server = await DialectServer.StartAsync();

        using var response = await server.Server.Http.GetAsync(path, Ct);
        var answer = await DialectAnswer.ReadAsync(response);

        Assert.Equal((400, """{"error":"Task ID is required"}"""), (answer.Status, answer.Text));
    }

    [Fact]
    public async Task Get_UnknownOrNotAChatTask_404()
    {
        await using var server = await DialectServer.StartAsync();
        var other = await server.Server.SubmitAsync(new { type = "fs.scan" });
        var chat = await server.Server.SubmitAsync(new { type = "llm.chat", priority = 1 });

        var unknown = await server.GetStatusAsync(Guid.NewGuid().ToString());
        var notChat = await server.GetStatusAsync(other.Id);

        Assert.Equal((404, """{"error":"Task not found or expired"}"""), (unknown.Status, unknown.Text));
        Assert.Equal((404, """{"error":"Task not found or expired"}"""), (notChat.Status, notChat.Text));
        Assert.Equal("queued", (await server.GetStatusAsync(chat.Id)).State);
    }

    [Fact]
    public async Task Get_ResultTtlPassed_404ExactlyThen()
    {
        await using var server = await DialectServer.StartWithClockAsync(new Dictionary<string, string?> { ["TASK_RESULT_TTL_MS"] = "1000" });
        await using var worker = await server.ConnectAsync();
        var answering = server.PostAsync("""{"data":1}""");
        var (taskId, _) = await worker.ReceiveTaskAsync();
        await worker.CompleteAsync(taskId, "1");
        await answering.WaitAsync(Bound, Ct);
        var finished = (await server.GetNativeAsync(taskId)).FinishedAt!.Value;

        server.AdvanceTo(finished.AddMilliseconds(999));
        Assert.Equal(200, (await server.GetStatusAsync(taskId)).Status);
        server.AdvanceTo(finished.AddMilliseconds(1000));
        var expired = await server.GetStatusAsync(taskId);

        Assert.Equal((404, """{"error":"Task not found or expired"}"""), (expired.Status, expired.Text));
    }

    [Fact]
    public async Task Get_OtherSourcesTaskPastTheDialectsTtl_404()
    {
        await using var server = await DialectServer.StartWithClockAsync(new Dictionary<string, string?> { ["TASK_RESULT_TTL_MS"] = "1000" });
        var task = await server.Server.SubmitAsync(new { type = "llm.chat", maxAttempts = 1 });
        var claimed = await server.Server.ClaimOneAsync();
        (await server.Server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new { leaseToken = claimed.Lease!.Token, result = "hi" }, Ct)).Dispose();
        var finished = (await server.GetNativeAsync(task.Id)).FinishedAt!.Value;

        server.AdvanceTo(finished.AddMilliseconds(999));
        Assert.Equal(200, (await server.GetStatusAsync(task.Id)).Status);
        server.AdvanceTo(finished.AddMilliseconds(1000));

        Assert.Equal((404, """{"error":"Task not found or expired"}"""), ((await server.GetStatusAsync(task.Id)).Status, (await server.GetStatusAsync(task.Id)).Text));
        Assert.Equal("completed", (await server.GetNativeAsync(task.Id)).State); // kept for the engine's own result TTL
    }

    [Theory]
    [InlineData("GET", "/api/openai", 405)]
    [InlineData("DELETE", "/api/task/abc", 405)]
    [InlineData("GET", "/api/task/a/b", 404)]
    public async Task BareRefusal_AnsweredInTheDialectsShape(string method, string path, int status)
    {
        await using var server = await DialectServer.StartAsync();
        using var response = await server.Server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        var answer = await DialectAnswer.ReadAsync(response);

        Assert.Equal(status, answer.Status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("error").GetString()));
    }
}
