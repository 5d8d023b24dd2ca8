using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests;

/// <summary>Bad input gets a 4xx problem with a stable code, and changes nothing.</summary>
public sealed class BadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{\"type\":\"echo\",", "invalid_json", "$")]
    [InlineData("{\"type\":\"echo\",\"priority\":\"high\"}", "invalid_json", "$.priority: the value has the wrong JSON type or format for this field: a whole number.")]
    [InlineData("{\"type\":\"echo\",\"runAt\":\"tomorrow\"}", "invalid_json", "$.runAt: the value has the wrong JSON type or format for this field: an RFC 3339 date-time")]
    [InlineData("{\"type\":\"echo\",\"labels\":[\"a\"]}", "invalid_json", "$.labels: the value has the wrong JSON type or format for this field: a JSON object.")]
    [InlineData("{\"type\":\"echo\",\"dependsOn\":\"a\"}", "invalid_json", "$.dependsOn: the value has the wrong JSON type or format for this field: a JSON array.")]
    [InlineData("{\"type\":\"echo\",\"surprise\":1}", "invalid_json", "$.surprise: unknown field 'surprise'; this object takes id, type, ")]
    [InlineData("[1,2]", "invalid_json", "$: the value has the wrong JSON type or format for this field: a JSON object with id, type, queue, ")]
    [InlineData("{\"type\":\"echo\",\"retry\":5}", "invalid_json", "$.retry: the value has the wrong JSON type or format for this field: a JSON object with backoff, ")]
    [InlineData("{\"type\":\"echo\",\n\"payload\":}", "invalid_json", "$.payload: '}' is an invalid start of a value (line 2, column 11)")]
    [InlineData("{\"payload\":{}}", "validation_failed", "type")]
    [InlineData("{\"type\":\"has space\"}", "validation_failed", "type")]
    [InlineData("{\"type\":\"echo\",\"maxAttempts\":0}", "validation_failed", "maxAttempts")]
    [InlineData("{\"type\":\"echo\",\"correlationId\":\"c\\u0000\"}", "validation_failed", "correlationId: must not contain the NUL character")]
    [InlineData("{\"type\":\"echo\",\"idempotencyKey\":\"k\\u0000\"}", "validation_failed", "idempotencyKey: must not contain the NUL character")]
    [InlineData("{\"type\":\"echo\",\"labels\":{\"k\":\"v\\u0000\"}}", "validation_failed", "labels.k: must not contain the NUL character")]
    [InlineData("{\"type\":\"echo\",\"review\":\"maybe\"}", "validation_failed", "review")]
    [InlineData("{\"type\":\"echo\",\"retry\":{\"backoff\":\"sometimes\"}}", "validation_failed", "retry.backoff")]
    public async Task Submit_BadBody_ProblemNamesTheFieldAndNothingStored(string body, string code, string mentions)
    {
        await using var server = await TestServer.StartAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync("/api/v1/tasks", content, Ct);
        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(mentions, problem.Detail, StringComparison.Ordinal);
        await AssertNoTasks(server);
    }

    [Fact]
    public async Task Problem_Detail_ReadsAsWrittenWithoutEscapes()
    {
        await using var server = await TestServer.StartAsync();
        using var content = new StringContent("{\"type\":\"echo\"}", Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync("/api/v1/tasks?wait=abc", content, Ct);
        var raw = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not 'abc'", raw, StringComparison.Ordinal); // an apostrophe, not \u0027
        await AssertNoTasks(server);
    }

    [Fact]
    public async Task Submit_BodyOverLimit_PayloadTooLarge()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Server:MaxRequestBytes"] = "1024" });
        var body = $"{{\"type\":\"echo\",\"payload\":\"{new string('x', 4096)}\"}}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync("/api/v1/tasks", content, Ct);
        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal("The request body is larger than the server accepts: at most 1,024 bytes (Server:MaxRequestBytes).", problem.Detail);
        await AssertNoTasks(server);
    }

    [Theory]
    [InlineData("/api/v1/tasks")]
    [InlineData("/api/v1/tasks/batch")]
    public async Task Submit_BodyNotSentAsJson_UnsupportedMediaTypeNamingTheHeader(string url)
    {
        await using var server = await TestServer.StartAsync();
        using var content = new StringContent("{\"type\":\"echo\"}", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await server.Http.PostAsync(url, content, Ct);
        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("Content-Type: application/json", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("application/x-www-form-urlencoded", problem.Detail, StringComparison.Ordinal);
        await AssertNoTasks(server);
    }

    [Fact]
    public async Task Submit_NoBody_InvalidJsonSaysTheBodyIsMissing()
    {
        await using var server = await TestServer.StartAsync();
        using var content = new StringContent("", Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync("/api/v1/tasks", content, Ct);
        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal("$: the request has no body; this operation takes a JSON object.", problem.Detail);
        await AssertNoTasks(server);
    }

    [Fact]
    public async Task UnknownRouteOrMethod_ProblemNotABareStatus()
    {
        await using var server = await TestServer.StartAsync();
        var missing = await ProblemAssert.IsProblem(await server.Http.GetAsync("/api/v1/nope", Ct), HttpStatusCode.NotFound, "not_found");
        Assert.Contains("GET /api/v1/nope", missing.Detail, StringComparison.Ordinal);

        using var wrongMethod = await server.Http.PostAsync("/api/v1/queues/default", null, Ct);
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);
        var problem = await ProblemAssert.IsProblem(wrongMethod, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.StartsWith("POST is not allowed on /api/v1/queues/default; it takes ", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/nope", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/v1/models", HttpStatusCode.MethodNotAllowed)]
    public async Task OpenAiUnknownRouteOrMethod_OpenAiErrorShape(string method, string url, HttpStatusCode status)
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct);
        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var error = body.RootElement.GetProperty("error");
        Assert.Equal($"Invalid URL ({method} {url})", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task UnknownId_EveryRoute_NotFound()
    {
        await using var server = await TestServer.StartAsync();
        await ProblemAssert.IsProblem(await server.Http.GetAsync("/api/v1/tasks/nope", Ct), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await server.Http.GetAsync("/api/v1/tasks/nope/history", Ct), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await server.Http.PostAsync("/api/v1/tasks/nope/cancel", null, Ct), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(
            await server.Http.PostAsJsonAsync("/api/v1/tasks/nope/complete", new { leaseToken = 1 }, Ct), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Complete_StaleLeaseToken_ConflictAndTaskStillRunning()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        var claimed = await server.ClaimOneAsync();
        using var response = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete",
            new { leaseToken = claimed.Lease!.Token + 1, result = 1 }, Ct);
        await ProblemAssert.IsProblem(response, HttpStatusCode.Conflict, "stale_lease");
        var after = await server.GetAsync(task.Id);
        Assert.Equal("running", after.State);
        Assert.Null(after.Result);
    }

    [Fact]
    public async Task Cancel_CompletedTask_IllegalTransitionAndUnchanged()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        var claimed = await server.ClaimOneAsync();
        (await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new { leaseToken = claimed.Lease!.Token, result = 7 }, Ct)).Dispose();
        using var response = await server.Http.PostAsync($"/api/v1/tasks/{task.Id}/cancel", null, Ct);
        await ProblemAssert.IsProblem(response, HttpStatusCode.Conflict, "illegal_transition");
        Assert.Equal("completed", (await server.GetAsync(task.Id)).State);
    }

    [Theory]
    [InlineData("/api/v1/tasks?stat=queued", "unknown_filter")]
    [InlineData("/api/v1/tasks?state=sleeping", "validation_failed")]
    [InlineData("/api/v1/tasks?limit=0", "validation_failed")]
    [InlineData("/api/v1/tasks?cursor=abc", "validation_failed")]
    [InlineData("/api/v1/tasks/x?wait=soon", "validation_failed")]
    [InlineData("/api/v1/task-count?cursor=5", "unknown_filter")]
    [InlineData("/api/v1/task-count?limit=many", "validation_failed")]
    [InlineData("/api/v1/task-count?state=sleeping", "validation_failed")]
    [InlineData("/api/v1/tasks?type=a%00", "validation_failed")]
    [InlineData("/api/v1/tasks?queue=has%20space", "validation_failed")]
    [InlineData("/api/v1/tasks?correlationId=c%00", "validation_failed")]
    [InlineData("/api/v1/tasks?label=k:v%00", "validation_failed")]
    [InlineData("/api/v1/task-count?worker=w%00", "validation_failed")]
    [InlineData("/api/v1/tasks?queue=", "validation_failed")]
    [InlineData("/api/v1/tasks?state=,", "validation_failed")]
    [InlineData("/api/v1/task-count?worker=", "validation_failed")]
    [InlineData("/api/v1/events?type=", "validation_failed")]
    [InlineData("/api/v1/events?type=,,", "validation_failed")]
    public async Task Query_BadParameter_BadRequest(string url, string code)
    {
        await using var server = await TestServer.StartAsync();
        await ProblemAssert.IsProblem(await server.Http.GetAsync(url, Ct), HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("GET", "/api/v1/schedules?limt=5", "Unknown query parameter 'limt'; known: cursor, limit.")]
    [InlineData("GET", "/api/v1/events/stats?x=1", "Unknown query parameter 'x'; this route takes none.")]
    [InlineData("GET", "/api/v1/tasks/x?wiat=1", "Unknown query parameter 'wiat'; known: wait.")]
    [InlineData("PUT", "/api/v1/schedules/d1?dryRun=true", "Unknown query parameter 'dryRun'; this route takes none.")]
    [InlineData("DELETE", "/api/v1/schedules/d1?ifExists=1", "Unknown query parameter 'ifExists'; this route takes none.")]
    [InlineData("POST", "/api/v1/workers/w1/terminate?grace=5", "Unknown query parameter 'grace'; known: graceMs.")]
    public async Task Query_ParameterTheRouteDoesNotTake_RefusedAndNothingDone(string method, string url, string detail)
    {
        await using var server = await TestServer.StartAsync();
        using var stored = await server.Http.PutAsync("/api/v1/schedules/d1",
            new StringContent("""{"cron":"@daily","template":{"type":"echo"}}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        stored.EnsureSuccessStatusCode();

        using var request = new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = method == "PUT" ? new StringContent("""{"cron":"0 0 1 1 *","template":{"type":"echo"}}""", System.Text.Encoding.UTF8, "application/json") : null,
        };
        var problem = await ProblemAssert.IsProblem(await server.Http.SendAsync(request, Ct), HttpStatusCode.BadRequest, "unknown_filter");

        Assert.Equal(detail, problem.Detail);
        Assert.Equal("@daily", (await server.Http.GetFromJsonAsync("/api/v1/schedules/d1", ContractsJsonContext.Default.ScheduleDto, Ct))!.Cron);
    }

    [Fact]
    public async Task Lists_LastPage_WriteNextCursorNull()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Contains("\"nextCursor\":null", await server.Http.GetStringAsync("/api/v1/tasks", Ct), StringComparison.Ordinal);
        Assert.Contains("\"nextCursor\":null", await server.Http.GetStringAsync("/api/v1/schedules", Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(150)]
    [InlineData(-5)]
    public async Task Heartbeat_PercentOutOfRange_ValidationFailedAndNothingRecorded(double percent)
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { type = "echo" });
        var claimed = await server.ClaimOneAsync();

        var problem = await ProblemAssert.IsProblem(await server.Http.PostAsJsonAsync($"/api/v1/tasks/{claimed.Id}/heartbeat",
            new { leaseToken = claimed.Lease!.Token, progress = new { percent } }, Ct), HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.Errors!.ContainsKey("progress.percent"));
        Assert.Null((await server.GetAsync(claimed.Id)).Progress);
    }

    [Fact]
    public async Task Complete_WithoutLeaseToken_ValidationFailed()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        await server.ClaimOneAsync();
        var problem = await ProblemAssert.IsProblem(
            await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new { result = 1 }, Ct), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("leaseToken", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("running", (await server.GetAsync(task.Id)).State);
    }

    [Fact]
    public async Task Batch_QueueFull_NothingStored()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Engine:MaxQueueLengths:small"] = "3" });
        await server.SubmitAsync(new { type = "echo", queue = "small" });
        var tasks = Enumerable.Range(0, 3).Select(_ => new { type = "echo", queue = "small" }).ToArray();
        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch", new { tasks }, Ct);
        await ProblemAssert.IsProblem(response, HttpStatusCode.TooManyRequests, "queue_full");
        var queue = (await server.Http.GetFromJsonAsync("/api/v1/queues/small", ContractsJsonContext.Default.QueueDto, Ct))!;
        Assert.Equal(1, queue.Waiting);
        Assert.Equal(3, queue.MaxLength);
    }

    [Fact]
    public async Task Batch_DuplicateClientIds_NothingStored()
    {
        await using var server = await TestServer.StartAsync();
        var tasks = new[] { new { id = "same", type = "echo" }, new { id = "same", type = "echo" } };
        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch", new { tasks }, Ct);
        await ProblemAssert.IsProblem(response, HttpStatusCode.Conflict, "duplicate_id");
        await AssertNoTasks(server);
    }

    private static async Task AssertNoTasks(TestServer server)
    {
        var list = await server.Http.GetFromJsonAsync("/api/v1/tasks", ContractsJsonContext.Default.TaskListResponse, Ct);
        Assert.Empty(list!.Tasks);
    }
}
