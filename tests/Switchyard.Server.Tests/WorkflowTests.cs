using System.Net;
using System.Net.Http.Json;
using Switchyard.Client.Contracts;
using Switchyard.Server.Security;

namespace Switchyard.Server.Tests;

/// <summary>Dependencies, flows and the review gate over REST, against a real server.</summary>
public sealed class WorkflowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BatchDag_ByClientIds_DependentsQueuedOnlyAfterTheirDependencies()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await PostAsync(server, "/api/v1/tasks/batch", """
            {"tasks": [
              {"id": "report", "type": "sum", "dependsOn": ["fetch-a", "fetch-b"]},
              {"id": "fetch-a", "type": "fetch"},
              {"id": "fetch-b", "type": "fetch"}
            ]}
            """);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("blocked", (await server.GetAsync("report")).State);

        foreach (var fetch in (await server.ClaimAsync(new ClaimTasksRequest { WorkerId = "w", MaxTasks = 5 })).Tasks)
        {
            Assert.StartsWith("fetch-", fetch.Id, StringComparison.Ordinal);
            using var done = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{fetch.Id}/complete",
                new { leaseToken = fetch.Lease!.Token, result = new { from = fetch.Id } }, Ct);
            done.EnsureSuccessStatusCode();
        }

        var report = await server.ClaimOneAsync();
        Assert.Equal("report", report.Id);
        Assert.Equal(["fetch-a", "fetch-b"], report.DependsOn);
        var inputs = (await server.Http.GetFromJsonAsync("/api/v1/tasks/report/dependencies", ContractsJsonContext.Default.TaskListResponse, Ct))!;
        Assert.Equal(["{\"from\":\"fetch-a\"}", "{\"from\":\"fetch-b\"}"], inputs.Tasks.Select(t => t.Result?.Raw).Order(StringComparer.Ordinal));
        var dependents = (await server.Http.GetFromJsonAsync("/api/v1/tasks/fetch-a/dependents", ContractsJsonContext.Default.TaskListResponse, Ct))!;
        Assert.Equal("report", Assert.Single(dependents.Tasks).Id);
    }

    [Fact]
    public async Task Flow_ParentWithChildren_ChildrenListedByParentIdAndInheritCorrelation()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch", new
        {
            tasks = new object[]
            {
                new { id = "parent", type = "merge", correlationId = "req-9" },
                new { id = "kid-1", type = "part", parentId = "parent" },
                new { id = "kid-2", type = "part", parentId = "parent" },
            },
        }, Ct);
        response.EnsureSuccessStatusCode();

        var children = (await server.Http.GetFromJsonAsync("/api/v1/tasks?parentId=parent", ContractsJsonContext.Default.TaskListResponse, Ct))!;
        Assert.Equal(["kid-1", "kid-2"], children.Tasks.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.All(children.Tasks, c => Assert.Equal("req-9", c.CorrelationId));
        var parent = await server.GetAsync("parent");
        Assert.Equal(("blocked", 2), (parent.State, parent.DependsOn.Count));
    }

    [Fact]
    public async Task Submit_DependencyCycle_422NamingTheCycleAndNothingStored()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await PostAsync(server, "/api/v1/tasks/batch", """
            {"tasks": [
              {"id": "a", "type": "t", "dependsOn": ["c"]},
              {"id": "b", "type": "t", "dependsOn": ["a"]},
              {"id": "c", "type": "t", "dependsOn": ["b"]}
            ]}
            """);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.UnprocessableEntity, "dependency_cycle");
        Assert.Contains(" -> ", problem.Detail, StringComparison.Ordinal);
        using var missing = await server.Http.GetAsync("/api/v1/tasks/a", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"t","dependsOn":["ghost"]}""", HttpStatusCode.UnprocessableEntity, "dependency_not_found")]
    [InlineData("""{"type":"t","dependsOn":["ok","ok"]}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"type":"t","dependsOn":["x"],"onDependencyFailure":"explode"}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"type":"t","maxRejections":0}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"type":"t","parentId":"nobody"}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"type":"t","retry":{"nonRetryableCodes":[""]}}""", HttpStatusCode.BadRequest, "validation_failed")]
    public async Task Submit_BadWorkflowFields_Problem(string body, HttpStatusCode status, string code)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await PostAsync(server, "/api/v1/tasks", body);

        await ProblemAssert.IsProblem(response, status, code);
    }

    [Fact]
    public async Task Review_ClaimRejectAccept_FeedbackReachesTheNextAttempt()
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { id = "essay", type = "write", review = "required", maxRejections = 3 });
        await CompleteAsync(server, await server.ClaimOneAsync(), "draft 1");
        Assert.Equal("review", (await server.GetAsync("essay")).State);

        var held = Assert.Single((await ClaimReviewsAsync(server, "gatekeeper")).Tasks);
        Assert.Equal(("essay", "gatekeeper"), (held.Id, held.ReviewLease?.WorkerId));
        using (var intruder = await server.Http.PostAsJsonAsync("/api/v1/tasks/essay/accept", new { }, Ct))
        {
            await ProblemAssert.IsProblem(intruder, HttpStatusCode.Conflict, "review_claimed");
        }

        using (var reject = await server.Http.PostAsJsonAsync("/api/v1/tasks/essay/reject",
                   new { feedback = "needs sources", leaseToken = held.ReviewLease!.Token }, Ct))
        {
            reject.EnsureSuccessStatusCode();
        }

        var second = await server.ClaimOneAsync();
        Assert.Equal(("needs sources", 1), (second.Feedback, second.RejectionCount));
        await CompleteAsync(server, second, "draft 2");
        using (var accept = await server.Http.PostAsJsonAsync("/api/v1/tasks/essay/accept", new { }, Ct))
        {
            accept.EnsureSuccessStatusCode();
            var accepted = (await accept.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
            Assert.Equal(("completed", "\"draft 2\""), (accepted.State, accepted.Result?.Raw));
        }
    }

    [Fact]
    public async Task Review_RejectedToTheLimit_FailedEscalated()
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { id = "hopeless", type = "write", review = "required", maxRejections = 1 });
        await CompleteAsync(server, await server.ClaimOneAsync(), "meh");

        using var reject = await server.Http.PostAsJsonAsync("/api/v1/tasks/hopeless/reject", new { feedback = "no" }, Ct);

        var failed = (await reject.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal(("failed", true, "review_rejected"), (failed.State, failed.Escalated, failed.Error?.Code));
    }

    [Fact]
    public async Task Review_RejectWithoutFeedback_400()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks/any/reject", new { }, Ct);

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Review_ForceWithKeys_OnlyAdminKeysMayForce()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Security:ApiKeys:boss"] = ApiKeys.Hash("boss-key"),
            ["Security:ApiKeys:bot"] = ApiKeys.Hash("bot-key"),
            ["Security:AdminKeys:0"] = "boss",
        });
        server.Http.DefaultRequestHeaders.Add("X-Api-Key", "bot-key");
        await server.SubmitAsync(new { id = "gated", type = "write", review = "required" });
        await CompleteAsync(server, await server.ClaimOneAsync(), "x");
        Assert.Single((await ClaimReviewsAsync(server, "bot-reviewer")).Tasks);

        using (var bot = await server.Http.PostAsJsonAsync("/api/v1/tasks/gated/accept", new { force = true }, Ct))
        {
            await ProblemAssert.IsProblem(bot, HttpStatusCode.Forbidden, "forbidden");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks/gated/accept") { Content = JsonContent.Create(new { force = true }) };
        request.Headers.Add("X-Api-Key", "boss-key"); // replaces the client's default (bot) key for this request
        using var admin = await server.Http.SendAsync(request, Ct);
        admin.EnsureSuccessStatusCode();
        Assert.Equal("completed", (await server.GetAsync("gated")).State);
    }

    private static async Task<HttpResponseMessage> PostAsync(TestServer server, string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return await server.Http.PostAsync(path, content, Ct);
    }

    private static async Task CompleteAsync(TestServer server, TaskDto claimed, string result)
    {
        using var response = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{claimed.Id}/complete",
            new { leaseToken = claimed.Lease!.Token, result }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<ClaimTasksResponse> ClaimReviewsAsync(TestServer server, string reviewer)
    {
        using var response = await server.Http.PostAsJsonAsync("/api/v1/reviews/claim", new { reviewerId = reviewer }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ClaimTasksResponse, Ct))!;
    }
}
