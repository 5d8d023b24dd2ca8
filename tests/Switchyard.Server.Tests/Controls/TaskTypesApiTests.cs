using System.Net;
using System.Net.Http.Json;
using System.Text;
using Switchyard.Client.Contracts;
using Switchyard.Server.Hosting;

namespace Switchyard.Server.Tests.Controls;

/// <summary><c>/api/v1/task-types</c> and what a registered type does to submits: defaults, payload validation.</summary>
public sealed class TaskTypesApiTests
{
    private const string ChatType = """
        {"description": "Chat completion",
         "payloadSchema": {"type": "object", "required": ["messages"],
           "properties": {"messages": {"type": "array", "items": {"type": "object", "required": ["role", "content"],
             "properties": {"role": {"enum": ["system", "user", "assistant"]}, "content": {"type": "string"}}}}}},
         "defaults": {"queue": "llm", "priority": 4, "maxAttempts": 2, "retry": {"backoff": "fixed", "baseDelayMs": 500}},
         "concurrency": 3, "estimatedDurationMs": 2000}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> SendJsonAsync(TestServer server, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await server.Http.SendAsync(request, Ct);
    }

    private static async Task PutChatAsync(TestServer server)
    {
        using var put = await SendJsonAsync(server, HttpMethod.Put, "/api/v1/task-types/llm.chat", ChatType);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    [Fact]
    public async Task TaskTypes_PutGetListDelete_RoundTrip()
    {
        await using var server = await TestServer.StartAsync();

        using var put = await SendJsonAsync(server, HttpMethod.Put, "/api/v1/task-types/llm.chat", ChatType);
        var stored = (await put.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskTypeDto, Ct))!;
        Assert.Equal(("llm.chat", "api", 3, 2000L, "llm", 4), (stored.Type, stored.Source, stored.Concurrency, stored.EstimatedDurationMs,
            stored.Defaults!.Queue, stored.Defaults.Priority));
        Assert.Equal(new RetryDto("fixed", 500), stored.Defaults.Retry);

        var one = await server.Http.GetFromJsonAsync("/api/v1/task-types/llm.chat", ContractsJsonContext.Default.TaskTypeDto, Ct);
        Assert.Equal(stored, one);
        var list = await server.Http.GetFromJsonAsync("/api/v1/task-types", ContractsJsonContext.Default.TaskTypeListResponse, Ct);
        Assert.Equal(["llm.chat"], list!.Types.Select(t => t.Type));

        using var deleted = await server.Http.DeleteAsync("/api/v1/task-types/llm.chat", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblem(await server.Http.GetAsync("/api/v1/task-types/llm.chat", Ct), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await server.Http.DeleteAsync("/api/v1/task-types/llm.chat", Ct), HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("""{"type": "other"}""", "validation_failed", "type")]
    [InlineData("""{"concurrency": 0}""", "validation_failed", "concurrency")]
    [InlineData("""{"defaults": {"queue": "no spaces please"}}""", "validation_failed", "defaults.queue")]
    [InlineData("""{"defaults": {"review": "maybe"}}""", "validation_failed", "defaults.review")]
    [InlineData("""{"defaults": {"retry": {"backoff": "sometimes"}}}""", "validation_failed", "defaults.retry.backoff")]
    [InlineData("""{"payloadSchema": {"$ref": "https://example.com/s.json"}}""", "validation_failed", "payloadSchema")]
    [InlineData("""{"payloadSchema": [1]}""", "validation_failed", "payloadSchema")]
    [InlineData("""{"surprise": 1}""", "invalid_json", "surprise")]
    public async Task Put_BadDefinition_ProblemNamesTheFieldAndNothingStored(string body, string code, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await SendJsonAsync(server, HttpMethod.Put, "/api/v1/task-types/t", body);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(field, problem.Detail, StringComparison.Ordinal);
        if (code == "validation_failed")
        {
            Assert.Equal(field, Assert.Single(problem.Errors!).Key);
        }

        var list = await server.Http.GetFromJsonAsync("/api/v1/task-types", ContractsJsonContext.Default.TaskTypeListResponse, Ct);
        Assert.Empty(list!.Types);
    }

    [Fact]
    public async Task Submit_PayloadAgainstTheSchema_ProblemNamesTheFieldAndNothingStored()
    {
        await using var server = await TestServer.StartAsync();
        await PutChatAsync(server);

        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks",
            new { type = "llm.chat", payload = new { messages = new[] { new { role = "robot", content = "hi" } } } }, Ct);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("payload.messages[0].role", Assert.Single(problem.Errors!).Key);
        Assert.StartsWith("payload.messages[0].role: must be one of", problem.Detail, StringComparison.Ordinal);
        var tasks = await server.Http.GetFromJsonAsync("/api/v1/tasks", ContractsJsonContext.Default.TaskListResponse, Ct);
        Assert.Empty(tasks!.Tasks);
    }

    [Fact]
    public async Task SubmitBatch_ThirdPayloadInvalid_FieldPrefixedAndNothingStored()
    {
        await using var server = await TestServer.StartAsync();
        await PutChatAsync(server);
        var good = new { type = "llm.chat", payload = new { messages = new[] { new { role = "user", content = "hi" } } } };

        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch",
            new { tasks = new object[] { good, good, new { type = "llm.chat", payload = new { messages = new[] { new { role = "user" } } } } } }, Ct);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("tasks[2].payload.messages[0].content", Assert.Single(problem.Errors!).Key);
        var tasks = await server.Http.GetFromJsonAsync("/api/v1/tasks", ContractsJsonContext.Default.TaskListResponse, Ct);
        Assert.Empty(tasks!.Tasks);
    }

    [Fact]
    public async Task Submit_RegisteredType_DefaultsFillOnlyWhatTheSubmitLeftOut()
    {
        await using var server = await TestServer.StartAsync();
        await PutChatAsync(server);
        var payload = new { messages = new[] { new { role = "user", content = "hi" } } };

        var plain = await server.SubmitAsync(new { type = "llm.chat", payload });
        var own = await server.SubmitAsync(new { type = "llm.chat", payload, queue = "fast", maxAttempts = 7 });

        Assert.Equal(("llm", 4, 2, "fixed", 500L), (plain.Queue, plain.Priority, plain.MaxAttempts, plain.Retry!.Backoff, plain.Retry.BaseDelayMs));
        Assert.Equal(("fast", 4, 7), (own.Queue, own.Priority, own.MaxAttempts));
    }

    [Fact]
    public async Task Submit_UnregisteredTypeWhileRequired_RefusedNamingType()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Engine:RequireRegisteredTypes"] = "true" });
        await PutChatAsync(server);

        using var refused = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { type = "mystery" }, Ct);
        var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("type", Assert.Single(problem.Errors!).Key);

        var accepted = await server.SubmitAsync(new { type = "llm.chat", payload = new { messages = Array.Empty<object>() } });
        Assert.Equal("llm", accepted.Queue);
    }

    [Fact]
    public async Task Start_YamlTypesFile_TypesRegisteredFromTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"switchyard-types-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            types:
              - type: fs.scan
                description: "Scans a folder: files, lines, languages"
                payloadSchema:
                  type: object
                  required: [path]
                  properties:
                    path: {type: string, minLength: 1}
                    depth: {type: integer, minimum: 1}
                defaults:
                  queue: io
                  timeoutMs: 30000
                concurrency: 2
              - type: http.request
                estimatedDurationMs: 800
            """, Ct);
        try
        {
            await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["TaskTypes:File"] = file });

            var list = await server.Http.GetFromJsonAsync("/api/v1/task-types", ContractsJsonContext.Default.TaskTypeListResponse, Ct);
            Assert.Equal([("fs.scan", "file", 2), ("http.request", "file", null)], list!.Types.Select(t => (t.Type, t.Source, t.Concurrency)));
            Assert.Equal("Scans a folder: files, lines, languages", list.Types[0].Description);

            using var refused = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { type = "fs.scan", payload = new { path = "/tmp", depth = 0 } }, Ct);
            var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.BadRequest, "validation_failed");
            Assert.Equal(["must be at least 1"], problem.Errors!["payload.depth"]);
            var task = await server.SubmitAsync(new { type = "fs.scan", payload = new { path = "/tmp" } });
            Assert.Equal(("io", 30_000L), (task.Queue, task.TimeoutMs));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("types:\n  - type: t\n    defaults: {maxAttempts: 0}\n", "types[0].defaults.maxAttempts")]
    [InlineData("types:\n  - type: t\n    concurency: 2\n", "$.types[0].concurency: unknown field 'concurency'; this object takes type, ")]
    [InlineData("types:\n  - type: t\n  - type: t\n", "'t' is defined more than once")]
    [InlineData("types: [unclosed\n", "line")]
    public async Task Start_BadTypesFile_RefusesToStartNamingTheProblem(string yaml, string mentioned)
    {
        var file = Path.Combine(Path.GetTempPath(), $"switchyard-types-{Guid.NewGuid():N}.yml");
        var data = Directory.CreateTempSubdirectory("switchyard-server-test-").FullName;
        await File.WriteAllTextAsync(file, yaml, Ct);
        try
        {
            await using var app = SwitchyardServer.Build(new Dictionary<string, string?>
            {
                ["Server:Port"] = "0",
                ["Server:DataDirectory"] = data,
                ["TaskTypes:File"] = file,
                ["Logging:LogLevel:Default"] = "None",
            });

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SwitchyardServer.StartAsync(app, Ct));

            Assert.Contains(mentioned, refused.Message, StringComparison.Ordinal);
            Assert.Contains(file, refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            Directory.Delete(data, recursive: true);
        }
    }
}
