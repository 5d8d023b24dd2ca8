using System.Net;
using System.Net.Http.Json;
using System.Text;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests;

/// <summary><c>/api/v1/schedules</c> over a real server: the lifecycle of a schedule and the refusals of bad definitions.</summary>
public sealed class SchedulesApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Schedule_PutGetListPauseResumeTriggerDelete_AllAnswerAsDocumented()
    {
        await using var server = await TestServer.StartAsync();
        const string body = """
            {"cron":"0 3 * * *","timeZone":"Europe/Paris","missedRuns":"once",
             "template":{"type":"db.maintenance","group":"system","payload":{"operation":"vacuum"},"labels":{"team":"ops"},"timeoutMs":60000}}
            """;

        using var created = await PutAsync(server, "nightly", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/schedules/nightly", created.Headers.Location?.OriginalString);
        var schedule = await ReadAsync(created);
        Assert.Equal(("0 3 * * *", "Europe/Paris", "once", false), (schedule.Cron, schedule.TimeZone, schedule.MissedRuns, schedule.Paused));
        Assert.Equal(("db.maintenance", "system", "ops", 60_000L), (schedule.Template.Type, schedule.Template.Group, schedule.Template.Labels!["team"], schedule.Template.TimeoutMs));
        Assert.NotNull(schedule.NextRunAt);
        var local = TimeZoneInfo.ConvertTime(schedule.NextRunAt.Value, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        Assert.Equal(new TimeSpan(3, 0, 0), local.TimeOfDay);

        using var replaced = await PutAsync(server, "nightly", body);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(schedule.NextRunAt, (await ReadAsync(replaced)).NextRunAt);

        var list = await server.Http.GetFromJsonAsync("/api/v1/schedules", ContractsJsonContext.Default.ScheduleListResponse, Ct);
        Assert.Equal(["nightly"], list!.Schedules.Select(s => s.Id));

        var paused = await PostAsync<ScheduleDto>(server, "/api/v1/schedules/nightly/pause", ContractsJsonContext.Default.ScheduleDto);
        Assert.Equal((true, (DateTimeOffset?)null), (paused.Paused, paused.NextRunAt));
        var raw = await server.Http.GetStringAsync("/api/v1/schedules/nightly", Ct);
        Assert.Contains("\"nextRunAt\":null", raw, StringComparison.Ordinal); // documented as null, so written as null
        Assert.Contains("\"lastError\":null", raw, StringComparison.Ordinal);
        var resumed = await PostAsync<ScheduleDto>(server, "/api/v1/schedules/nightly/resume", ContractsJsonContext.Default.ScheduleDto);
        Assert.Equal((false, schedule.NextRunAt), (resumed.Paused, resumed.NextRunAt));

        using var triggered = await server.Http.PostAsync("/api/v1/schedules/nightly/trigger", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var task = (await triggered.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal(("db.maintenance", "system", "nightly"), (task.Type, task.Group, task.Labels!["schedule"]));
        Assert.Equal(task.Id, (await server.Http.GetFromJsonAsync("/api/v1/schedules/nightly", ContractsJsonContext.Default.ScheduleDto, Ct))!.LastTaskId);

        using var deleted = await server.Http.DeleteAsync("/api/v1/schedules/nightly", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await server.Http.GetAsync("/api/v1/schedules/nightly", Ct);
        await ProblemAssert.IsProblem(gone, HttpStatusCode.NotFound, "not_found");
        using var goneAgain = await server.Http.DeleteAsync("/api/v1/schedules/nightly", Ct);
        await ProblemAssert.IsProblem(goneAgain, HttpStatusCode.NotFound, "not_found");
        using var triggerGone = await server.Http.PostAsync("/api/v1/schedules/nightly/trigger", null, Ct);
        await ProblemAssert.IsProblem(triggerGone, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("""{"cron":"every day","template":{"type":"echo"}}""", "validation_failed", "cron")]
    [InlineData("""{"template":{"type":"echo"}}""", "validation_failed", "cron")]
    [InlineData("""{"cron":"0 3 * * *","timeZone":"Mars/Base","template":{"type":"echo"}}""", "validation_failed", "timeZone")]
    [InlineData("""{"cron":"0 3 * * *"}""", "validation_failed", "template")]
    [InlineData("""{"cron":"0 3 * * *","template":{"type":"has space"}}""", "validation_failed", "template.type")]
    [InlineData("""{"cron":"0 3 * * *","template":{"type":"echo","maxAttempts":0}}""", "validation_failed", "template.maxAttempts")]
    [InlineData("""{"cron":"0 3 * * *","template":{"type":"echo","id":"fixed"}}""", "validation_failed", "template.id")]
    [InlineData("""{"cron":"0 3 * * *","template":{"type":"echo","idempotencyKey":"k"}}""", "validation_failed", "template.idempotencyKey")]
    [InlineData("""{"cron":"0 3 * * *","template":{"type":"echo","review":"maybe"}}""", "validation_failed", "template.review")]
    [InlineData("""{"cron":"0 3 * * *","missedRuns":"sometimes","template":{"type":"echo"}}""", "validation_failed", "missedRuns")]
    [InlineData("""{"cron":"0 3 * * *","template":{"type":"echo"},"surprise":1}""", "invalid_json", "surprise")]
    public async Task Put_BadDefinition_ProblemNamesTheFieldAndNothingStored(string body, string code, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await PutAsync(server, "bad", body);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(field, problem.Detail, StringComparison.Ordinal);
        if (code == "validation_failed")
        {
            Assert.True(problem.Errors!.ContainsKey(field), $"errors name {string.Join(", ", problem.Errors.Keys)}");
        }

        var list = await server.Http.GetFromJsonAsync("/api/v1/schedules", ContractsJsonContext.Default.ScheduleListResponse, Ct);
        Assert.Empty(list!.Schedules);
    }

    [Fact]
    public async Task Put_TemplateItsTypeRefuses_RefusedAsASubmitWouldBe()
    {
        await using var server = await TestServer.StartAsync();
        using var type = await server.Http.PutAsync("/api/v1/task-types/strict", new StringContent(
            """{"payloadSchema":{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}}""", Encoding.UTF8, "application/json"), Ct);
        type.EnsureSuccessStatusCode();

        using var response = await PutAsync(server, "never-runs", """{"cron":"@daily","template":{"type":"strict","payload":{"n":"x"}}}""");

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("template.payload.n", problem.Errors!.Keys);
        using var good = await PutAsync(server, "runs", """{"cron":"@daily","template":{"type":"strict","payload":{"n":1}}}""");
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
    }

    [Fact]
    public async Task Put_TemplateWithDependencies_MissingOneRefused_GivenOnesShownAsStored()
    {
        await using var server = await TestServer.StartAsync();
        using var missing = await PutAsync(server, "deps", """{"cron":"@daily","template":{"type":"echo","dependsOn":["no-such-task"]}}""");
        var problem = await ProblemAssert.IsProblem(missing, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("template.dependsOn: task 'no-such-task' was not found (or its result has expired): every run would be refused", problem.Detail);

        var first = await server.SubmitAsync(new { type = "echo" });
        using var stored = await PutAsync(server, "deps",
            $$$"""{"cron":"@daily","template":{"type":"echo","dependsOn":["{{{first.Id}}}"],"onDependencyFailure":"ignore","review":"required","maxRejections":1}}""");
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var template = (await server.Http.GetFromJsonAsync("/api/v1/schedules/deps", ContractsJsonContext.Default.ScheduleDto, Ct))!.Template;
        Assert.Equal((first.Id, "ignore", "required", 1), (Assert.Single(template.DependsOn!), template.OnDependencyFailure, template.Review, template.MaxRejections));
    }

    [Fact]
    public async Task Trigger_ManyAtOnce_EachARunOfItsOwn()
    {
        await using var server = await TestServer.StartAsync();
        using var created = await PutAsync(server, "burst", """{"cron":"0 0 1 1 *","template":{"type":"echo"}}""");
        created.EnsureSuccessStatusCode();

        var triggered = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await server.Http.PostAsync("/api/v1/schedules/burst/trigger", null, Ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!.Id;
        }));

        Assert.Equal(8, triggered.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Put_IdWithASlash_RefusedNamingTheIdAsGiven()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await PutAsync(server, Uri.EscapeDataString("a/b"), """{"cron":"@daily","template":{"type":"echo"}}""");

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.StartsWith("id: 'a/b' is not a schedule id:", problem.Detail, StringComparison.Ordinal);
        Assert.EndsWith("(no '/': the id names the schedule in URLs)", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Limit_PagesWithACursor()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var id in new[] { "b", "a", "c" })
        {
            using var put = await PutAsync(server, id, """{"cron":"@daily","template":{"type":"echo"}}""");
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var first = await server.Http.GetFromJsonAsync("/api/v1/schedules?limit=2", ContractsJsonContext.Default.ScheduleListResponse, Ct);
        var second = await server.Http.GetFromJsonAsync($"/api/v1/schedules?limit=2&cursor={first!.NextCursor}", ContractsJsonContext.Default.ScheduleListResponse, Ct);

        Assert.Equal(["a", "b"], first.Schedules.Select(s => s.Id));
        Assert.Equal(["c"], second!.Schedules.Select(s => s.Id));
        Assert.Null(second.NextCursor);
        using var bad = await server.Http.GetAsync("/api/v1/schedules?limit=0", Ct);
        await ProblemAssert.IsProblem(bad, HttpStatusCode.BadRequest, "validation_failed");
    }

    private static async Task<HttpResponseMessage> PutAsync(TestServer server, string id, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await server.Http.PutAsync($"/api/v1/schedules/{id}", content, Ct);
    }

    private static async Task<ScheduleDto> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ScheduleDto, Ct))!;

    private static async Task<T> PostAsync<T>(TestServer server, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var response = await server.Http.PostAsync(path, null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(type, Ct))!;
    }
}
