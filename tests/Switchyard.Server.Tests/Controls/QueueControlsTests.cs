using System.Net;
using System.Net.Http.Json;
using System.Text;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Server.Tests.WebSockets;

namespace Switchyard.Server.Tests.Controls;

/// <summary>Queue settings over REST, and held work handed out the moment its limit lifts (pull claims and pushes alike).</summary>
public sealed class QueueControlsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<QueueDto> PatchAsync(TestServer server, string queue, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/queues/{queue}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/merge-patch+json"),
        };
        using var response = await server.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.QueueDto, Ct))!;
    }

    private static async Task<QueueDto> PostAsync(TestServer server, string path)
    {
        using var response = await server.Http.PostAsync(path, null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.QueueDto, Ct))!;
    }

    private static Task<ClaimTasksResponse> ClaimAsync(TestServer server, string worker, long waitMs = 0, int maxTasks = 10) =>
        server.ClaimAsync(new ClaimTasksRequest { WorkerId = worker, WaitMs = waitMs, MaxTasks = maxTasks });

    [Fact]
    public async Task Pause_SubmitsAcceptedNothingClaimed_ResumeWakesAWaitingClaim()
    {
        await using var server = await TestServer.StartAsync();
        var paused = await PostAsync(server, "/api/v1/queues/default/pause");
        Assert.True(paused.Settings!.Paused);

        var task = await server.SubmitAsync(new { type = "echo" });
        Assert.Empty((await ClaimAsync(server, "w1")).Tasks);
        var waiting = ClaimAsync(server, "w1", waitMs: 30_000);
        var resumed = await PostAsync(server, "/api/v1/queues/default/resume");

        Assert.False(resumed.Settings!.Paused);
        Assert.Equal(task.Id, Assert.Single((await waiting.WaitAsync(Bound, Ct)).Tasks).Id);
    }

    [Fact]
    public async Task Pause_PushWorkerGetsNothingUntilResumed()
    {
        await using var server = await TestServer.StartAsync();
        await PostAsync(server, "/api/v1/queues/default/pause");
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 2 });
        var task = await server.SubmitAsync(new { type = "echo" });

        await worker.SendAsync(new PingMessage());
        Assert.IsType<PongMessage>(await worker.ReceiveAsync()); // nothing was pushed before the pong
        await PostAsync(server, "/api/v1/queues/default/resume");

        Assert.Equal(task.Id, (await worker.ReceiveAsync<TaskMessage>()).Task.Id);
    }

    [Fact]
    public async Task MaxRunning_WaitingClaimGetsTheNextTaskWhenOneCompletes()
    {
        await using var server = await TestServer.StartAsync();
        await PatchAsync(server, "default", """{"maxRunning": 1}""");
        await server.SubmitAsync(new { type = "echo", payload = 1 });
        await server.SubmitAsync(new { type = "echo", payload = 2 });

        var first = Assert.Single((await ClaimAsync(server, "w1")).Tasks);
        var waiting = ClaimAsync(server, "w2", waitMs: 30_000);
        Assert.False(waiting.IsCompleted);
        using var done = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{first.Id}/complete", new { leaseToken = first.Lease!.Token }, Ct);
        done.EnsureSuccessStatusCode();

        Assert.Equal("2", Assert.Single((await waiting.WaitAsync(Bound, Ct)).Tasks).Payload.Raw);
    }

    [Fact]
    public async Task Rate_WaitingClaimGetsTheTaskWhenTheNextTokenIsDue()
    {
        await using var server = await TestServer.StartAsync();
        var queue = await PatchAsync(server, "default", """{"rate": {"tasks": 1, "intervalMs": 300}}""");
        Assert.Equal(new RateLimitDto(1, 300), queue.Settings!.Rate);
        await server.SubmitAsync(new { type = "echo", payload = 1 });
        await server.SubmitAsync(new { type = "echo", payload = 2 });

        Assert.Single((await ClaimAsync(server, "w1")).Tasks);
        var second = await ClaimAsync(server, "w1", waitMs: 30_000).WaitAsync(Bound, Ct);

        Assert.Equal("2", Assert.Single(second.Tasks).Payload.Raw);
    }

    [Fact]
    public async Task TypeConcurrency_PushWorkerGetsTheNextTaskWhenOneCompletes()
    {
        await using var server = await TestServer.StartAsync();
        using var put = await server.Http.PutAsJsonAsync("/api/v1/task-types/echo", new { concurrency = 1 }, Ct);
        put.EnsureSuccessStatusCode();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Capacity = 5 });
        await server.SubmitAsync(new { type = "echo", payload = 1 });
        await server.SubmitAsync(new { type = "echo", payload = 2 });

        var first = (await worker.ReceiveAsync<TaskMessage>()).Task;
        await worker.SendAsync(new PingMessage());
        Assert.IsType<PongMessage>(await worker.ReceiveAsync()); // the second is held while the first runs
        await worker.SendAsync(new CompleteMessage(first.Id, first.Lease!.Token));

        Assert.Equal("2", (await worker.ReceiveAsync<TaskMessage>()).Task.Payload.Raw);
    }

    [Fact]
    public async Task MaxLength_StoredSettingOverridesConfiguration()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Engine:MaxQueueLengths:q"] = "1" });
        await server.SubmitAsync(new { type = "echo", queue = "q" });
        await ProblemAssert.IsProblem(await server.Http.PostAsJsonAsync("/api/v1/tasks", new { type = "echo", queue = "q" }, Ct),
            HttpStatusCode.TooManyRequests, "queue_full");

        var unlimited = await PatchAsync(server, "q", """{"maxLength": 0}""");
        Assert.Null(unlimited.MaxLength);
        await server.SubmitAsync(new { type = "echo", queue = "q" });

        var three = await PatchAsync(server, "q", """{"maxLength": 3}""");
        Assert.Equal(3, three.MaxLength);
        await server.SubmitAsync(new { type = "echo", queue = "q" });
        await ProblemAssert.IsProblem(await server.Http.PostAsJsonAsync("/api/v1/tasks", new { type = "echo", queue = "q" }, Ct),
            HttpStatusCode.TooManyRequests, "queue_full");

        var configured = await PatchAsync(server, "q", """{"maxLength": null}""");
        Assert.Equal(1, configured.MaxLength);
    }

    [Fact]
    public async Task GetAndList_SettingsShownAlsoForAQueueWithoutTasks()
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { type = "echo" });
        await PatchAsync(server, "llm", """
            {"maxRunning": 4, "groupRates": {"gpt-4o": {"tasks": 10, "intervalMs": 60000}}, "scopeWeights": {"acme": 3}, "groupWeights": {"gpt-4o": 2}}
            """);

        var llm = await server.Http.GetFromJsonAsync("/api/v1/queues/llm", ContractsJsonContext.Default.QueueDto, Ct);
        var list = await server.Http.GetFromJsonAsync("/api/v1/queues", ContractsJsonContext.Default.QueueListResponse, Ct);

        Assert.Equal(0, llm!.Waiting);
        Assert.Equal(4, llm.Settings!.MaxRunning);
        Assert.Equal(new RateLimitDto(10, 60_000), llm.Settings.GroupRates!["gpt-4o"]);
        Assert.Equal(3, llm.Settings.ScopeWeights!["acme"]);
        Assert.Equal(2, llm.Settings.GroupWeights!["gpt-4o"]);
        Assert.Equal(["default", "llm"], list!.Queues.Select(q => q.Name));
        Assert.False(list.Queues[0].Settings!.Paused);

        var cleared = await PatchAsync(server, "llm", """{"groupRates": null, "scopeWeights": {"acme": null}}""");
        Assert.Null(cleared.Settings!.GroupRates);
        Assert.Null(cleared.Settings.ScopeWeights);
        Assert.Equal(4, cleared.Settings.MaxRunning);
    }

    [Theory]
    [InlineData("""{"maxRunning": "four"}""", "invalid_json", "$.maxRunning")]
    [InlineData("""{"paused": 1}""", "invalid_json", "$.paused")]
    [InlineData("""{"rate": {"tasks": 5}}""", "invalid_json", "$.rate")]
    [InlineData("""{"groupRates": {"gpt-4o": 5}}""", "invalid_json", "$.groupRates.gpt-4o")]
    [InlineData("""{"weights": {}}""", "invalid_json", "$.weights")]
    [InlineData("""[1, 2]""", "invalid_json", "$")]
    [InlineData("""{"maxRunning": """, "invalid_json", "$")]
    [InlineData("{\"maxRunning\": 2,\n \"paused\": tru}", "invalid_json", "$: the body is not valid JSON: 'tru}' is an invalid JSON literal. Expected the literal 'true' (line 2, column 15)")]
    [InlineData("""{"maxRunning": 0}""", "validation_failed", "maxRunning")]
    [InlineData("""{"rate": {"tasks": 0, "intervalMs": 1000}}""", "validation_failed", "rate")]
    [InlineData("""{"scopeWeights": {"acme": 0}}""", "validation_failed", "scopeWeights.acme")]
    [InlineData("""{"groupWeights": {"bad key": 2}}""", "validation_failed", "groupWeights")]
    public async Task Patch_BadInput_ProblemNamesTheFieldAndNothingChanges(string body, string code, string field)
    {
        await using var server = await TestServer.StartAsync();
        await PatchAsync(server, "q", """{"maxRunning": 2}""");

        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/queues/q") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await server.Http.SendAsync(request, Ct);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);
        Assert.StartsWith(field, problem.Detail, StringComparison.Ordinal);
        var queue = await server.Http.GetFromJsonAsync("/api/v1/queues/q", ContractsJsonContext.Default.QueueDto, Ct);
        Assert.Equal(2, queue!.Settings!.MaxRunning);
    }

    [Fact]
    public async Task Pause_BadQueueName_ValidationProblem()
    {
        await using var server = await TestServer.StartAsync();

        var problem = await ProblemAssert.IsProblem(await server.Http.PostAsync("/api/v1/queues/-bad/pause", null, Ct),
            HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("queue", Assert.Single(problem.Errors!).Key);
    }
}
