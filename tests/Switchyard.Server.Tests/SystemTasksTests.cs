using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests;

/// <summary><c>db.maintenance</c> tasks run by the server itself on its own store.</summary>
public sealed class SystemTasksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Vacuum_RunByTheServer_CompletesWithSizes()
    {
        await using var server = await TestServer.StartAsync();

        var done = await RunAsync(server, new { operation = "vacuum" });

        Assert.Equal("completed", done.State);
        var result = Result(done);
        Assert.Equal("vacuum", result.GetProperty("operation").GetString());
        Assert.True(result.GetProperty("bytesBefore").GetInt64() > 0);
        Assert.True(result.GetProperty("bytesAfter").GetInt64() > 0);
        Assert.Equal("switchyard-server", Assert.Single(await HistoryAsync(server, done.Id), h => h.Event == "claimed").Actor);
    }

    [Fact]
    public async Task Purge_FinishedTasksOlderThanTheAge_DeletedOthersKept()
    {
        await using var server = await TestServer.StartAsync();
        var old = await server.SubmitAsync(new { type = "echo" });
        var waiting = await server.SubmitAsync(new { type = "echo" });
        using (var cancel = await server.Http.PostAsync($"/api/v1/tasks/{old.Id}/cancel", null, Ct))
        {
            cancel.EnsureSuccessStatusCode();
        }

        var done = await RunAsync(server, new { operation = "purge", olderThanMs = 0, states = new List<string> { "cancelled", "failed" } });

        Assert.Equal("completed", done.State);
        Assert.Equal(1, Result(done).GetProperty("purged").GetInt32());
        using var gone = await server.Http.GetAsync($"/api/v1/tasks/{old.Id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("queued", (await server.GetAsync(waiting.Id)).State);
    }

    [Fact]
    public async Task Export_QueueToAFileUnderTheDataFolder_OneTaskPerLine()
    {
        await using var server = await TestServer.StartAsync();
        var first = await server.SubmitAsync(new { type = "echo", queue = "exp", payload = new { n = 1 } });
        var second = await server.SubmitAsync(new { type = "echo", queue = "exp", payload = new { n = 2 } });
        await server.SubmitAsync(new { type = "echo", queue = "other" });

        var done = await RunAsync(server, new { operation = "export", queue = "exp", file = "exp.jsonl" });

        Assert.Equal("completed", done.State);
        var result = Result(done);
        Assert.Equal(("exports/exp.jsonl", 2), (result.GetProperty("file").GetString(), result.GetProperty("count").GetInt32()));
        var lines = await File.ReadAllLinesAsync(Path.Join(server.DataDirectory, "exports", "exp.jsonl"), Ct);
        var exported = lines.Select(l => JsonSerializer.Deserialize(l, ContractsJsonContext.Default.TaskDto)!).ToArray();
        Assert.Equal(new[] { first.Id, second.Id }.Order(StringComparer.Ordinal), exported.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["exp.jsonl"], Directory.GetFiles(Path.Join(server.DataDirectory, "exports")).Select(Path.GetFileName));

        var again = await RunAsync(server, new { operation = "export", queue = "exp", file = "exp.jsonl" });
        Assert.Equal(("failed", "file_exists"), (again.State, again.Error?.Code));
    }

    [Theory]
    [InlineData("""{"operation":"export","file":"../escape.jsonl"}""")]
    [InlineData("""{"operation":"export","file":"/tmp/escape.jsonl"}""")]
    [InlineData("""{"operation":"export","file":"sub/escape.jsonl"}""")]
    [InlineData("""{"operation":"purge"}""")]
    [InlineData("""{"operation":"purge","olderThanMs":0,"states":["queued"]}""")]
    [InlineData("""{"operation":"defragment"}""")]
    [InlineData("""{"operation":"vacuum","surprise":true}""")]
    public async Task BadPayload_FailsFatalWithoutRetryOrFiles(string payload)
    {
        await using var server = await TestServer.StartAsync();

        var done = await RunAsync(server, JsonDocument.Parse(payload).RootElement, maxAttempts: 3);

        Assert.Equal(("failed", 1, "invalid_payload", "fatal"), (done.State, done.Attempt, done.Error?.Code, done.Error?.Kind));
        Assert.False(File.Exists(Path.Join(server.DataDirectory, "escape.jsonl")));
        Assert.False(File.Exists("/tmp/escape.jsonl"));
    }

    [Fact]
    public async Task BadPayload_MistypedField_ErrorNamesTheFieldAndWhatItTakes()
    {
        await using var server = await TestServer.StartAsync();

        var done = await RunAsync(server, new { operation = "purge", olderThanMs = "a week" });

        Assert.Equal("invalid_payload", done.Error?.Code);
        Assert.EndsWith("$.olderThanMs: the value has the wrong JSON type or format for this field: a whole number.", done.Error?.Message, StringComparison.Ordinal);
    }

    private static async Task<TaskDto> RunAsync(TestServer server, object payload, int maxAttempts = 1)
    {
        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks?wait=60",
            new { type = "db.maintenance", group = "system", payload, maxAttempts }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
    }

    private static JsonElement Result(TaskDto task) => JsonDocument.Parse(task.Result!.Value.Raw).RootElement;

    private static async Task<IReadOnlyList<HistoryEntryDto>> HistoryAsync(TestServer server, string id) =>
        (await server.Http.GetFromJsonAsync($"/api/v1/tasks/{id}/history", ContractsJsonContext.Default.TaskHistoryResponse, Ct))!.Entries;
}
