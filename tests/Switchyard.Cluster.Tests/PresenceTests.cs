using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using Switchyard.Server.Tests.Dispatcher;
using Switchyard.Server.Tests.OpenAi;
using Switchyard.Storage.Conformance.Postgres;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// Worker presence across real server processes on one schema: a dispatcher-dialect worker connected to node A serves
/// the dispatcher dialect and the OpenAI endpoints called on node B, and B refuses once A's worker is gone, whether it
/// left or its node was killed.
/// </summary>
public sealed class PresenceTests(SharedPostgres postgres) : IAsyncLifetime
{
    private const string Model = "gpt-test";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Fast heartbeats and a short node timeout, so that a killed node drops out within a test's patience.</summary>
    private static readonly object Settings = new { Cluster = new { PollMs = 200, HeartbeatMs = 200, NodeTimeoutMs = 1_500 } };

    private readonly string _schema = PostgresCluster.NewSchema();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await postgres.Cluster.DropSchemaAsync(_schema);

    [Fact]
    public async Task WorkerOnNodeA_RequestsToNodeB_ServedThereUntilTheWorkerLeaves()
    {
        await using var a = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, Settings, Ct);
        await using var b = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, Settings, Ct);
        Assert.Equal(503, (await PostDialectAsync(b, $$"""{"data":0,"group":"{{Model}}"}""")).Status);
        var worker = await DialectWorker.ConnectAsync(a.BaseAddress, Model);
        await Poll.UntilAsync(async () => (await ModelsAsync(b)).SequenceEqual([Model]), Bound, Ct, a, b);

        // The dispatcher dialect, sync: the answer comes on B with the worker's result.
        var sync = PostDialectAsync(b, $$"""{"data":1,"group":"{{Model}}"}""");
        var (taskId, payload) = await worker.ReceiveTaskAsync(Bound);
        Assert.Equal(1, payload.GetProperty("data").GetInt32());
        await worker.CompleteAsync(taskId, """{"text":"one"}""");
        var answer = await sync.WaitAsync(Bound, Ct);
        Assert.Equal((200, "completed", "one"),
            (answer.Status, answer.Body.GetProperty("status").GetString(), answer.Body.GetProperty("result").GetProperty("text").GetString()));

        // Async: the task id at once, then its status read on B.
        var submitted = await PostDialectAsync(b, $$"""{"data":2,"group":"{{Model}}","async":true}""");
        Assert.Equal(200, submitted.Status);
        var asyncId = submitted.Body.GetProperty("taskId").GetString()!;
        var (pushedId, _) = await worker.ReceiveTaskAsync(Bound);
        Assert.Equal(asyncId, pushedId);
        await worker.CompleteAsync(asyncId, """{"text":"two"}""");
        JsonElement status = default;
        await Poll.UntilAsync(async () => (status = await GetJsonAsync(b, "/api/task/" + asyncId)).GetProperty("status").GetString() == "completed", Bound, Ct, a, b);
        Assert.Equal("two", status.GetProperty("result").GetProperty("text").GetString());

        // OpenAI, plain: the completion from A's worker.
        var chat = b.Http.SendAsync(Chat(stream: false), Ct);
        var (chatId, _) = await worker.ReceiveTaskAsync(Bound);
        await worker.CompleteAsync(chatId, """{"content":"Hello"}""");
        using (var response = await chat.WaitAsync(Bound, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("Hello", body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        // OpenAI, streamed: chunks, then [DONE].
        var streamed = b.Http.SendAsync(Chat(stream: true), HttpCompletionOption.ResponseHeadersRead, Ct);
        var (streamId, _) = await worker.ReceiveTaskAsync(Bound);
        await worker.CompleteAsync(streamId, """{"content":"Hi there"}""");
        using (var response = await streamed.WaitAsync(Bound, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));
            var all = await events.RestAsync();
            Assert.Equal("[DONE]", all[^1]);
            var content = string.Concat(all[..^1].Select(Delta));
            Assert.Equal("Hi there", content);
        }

        // The worker leaves A: B stops listing its model, and refuses.
        await worker.DisposeAsync();
        await Poll.UntilAsync(async () => (await ModelsAsync(b)).Count == 0, Bound, Ct, a, b);
        var refused = await PostDialectAsync(b, $$"""{"data":3,"group":"{{Model}}"}""");
        Assert.Equal((503, "No worker available"), (refused.Status, refused.Body.GetProperty("error").GetString()));
        using var noWorker = await b.Http.SendAsync(Chat(stream: false), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noWorker.StatusCode);
    }

    [Fact]
    public async Task NodeKilled_ItsWorkersDropOutOfTheOtherNodesViewAfterTheNodeTimeout()
    {
        await using var a = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, Settings, Ct);
        await using var b = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, Settings, Ct);
        await using var worker = await DialectWorker.ConnectAsync(a.BaseAddress, Model);
        await Poll.UntilAsync(async () => (await ModelsAsync(b)).SequenceEqual([Model]), Bound, Ct, a, b);
        Assert.Equal(2, await CountAsync("cluster_nodes"));

        await a.KillAsync(); // no shutdown code runs: A's rows stay until they are too old
        Assert.Equal(1, await CountAsync("cluster_workers"));

        await Poll.UntilAsync(async () => (await ModelsAsync(b)).Count == 0, Bound, Ct, a, b);
        var refused = await PostDialectAsync(b, $$"""{"data":1,"group":"{{Model}}"}""");
        Assert.Equal((503, "No worker available"), (refused.Status, refused.Body.GetProperty("error").GetString()));
        await Poll.UntilAsync(async () => await CountAsync("cluster_nodes") == 1, Bound, Ct, a, b); // swept by B, the only node left to lead
        Assert.Equal(0, await CountAsync("cluster_workers"));
    }

    [Fact]
    public async Task NodeKilledMidTask_ItsDialectWorkersTaskFailsAsDisconnectedLongBeforeItsLease()
    {
        var settings = new { Cluster = new { PollMs = 200, HeartbeatMs = 200, NodeTimeoutMs = 1_500 }, Engine = new { DefaultLeaseMs = 600_000 } };
        await using var a = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        await using var b = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        await using var worker = await DialectWorker.ConnectAsync(a.BaseAddress, Model);
        await Poll.UntilAsync(async () => (await ModelsAsync(b)).SequenceEqual([Model]), Bound, Ct, a, b);
        var submitted = await PostDialectAsync(b, $$"""{"data":7,"group":"{{Model}}","async":true}""");
        var id = submitted.Body.GetProperty("taskId").GetString()!;
        Assert.Equal(id, (await worker.ReceiveTaskAsync(Bound)).TaskId);

        // A dies holding the task under a lease of ten minutes, and a dialect worker cannot report what it lost. B sweeps
        // A's rows once its heartbeat is 1.5 s old and ends the task as A would have on the disconnect (the dialect's
        // tasks run once).
        await a.KillAsync();
        JsonElement status = default;
        await Poll.UntilAsync(async () => (status = await GetJsonAsync(b, "/api/task/" + id)).GetProperty("status").GetString() == "failed", Bound, Ct, a, b);
        Assert.Equal("Worker disconnected", status.GetProperty("error").GetString());
        var history = await GetJsonAsync(b, $"/api/v1/tasks/{id}/history");
        Assert.Contains(history.GetProperty("entries").EnumerateArray(),
            h => h.GetProperty("actor").GetString() == "node-sweeper" && h.GetProperty("reason").GetString() == "Worker disconnected");
    }

    [Fact]
    public async Task NodeStopsCleanly_ItsRowsAreDeletedAtOnce()
    {
        var settings = new { Cluster = new { PollMs = 200, HeartbeatMs = 200, NodeTimeoutMs = 600_000 } };
        await using var a = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        await using var b = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        await using (var worker = await DialectWorker.ConnectAsync(a.BaseAddress, Model))
        {
            await Poll.UntilAsync(async () => (await ModelsAsync(b)).SequenceEqual([Model]), Bound, Ct, a, b);
        }

        await Poll.UntilAsync(async () => (await ModelsAsync(b)).Count == 0, Bound, Ct, a, b); // gone long before the ten-minute timeout
        Assert.Equal(2, await CountAsync("cluster_nodes"));
        await a.StopAsync();
        Assert.Equal(1, await CountAsync("cluster_nodes")); // deleted on its way out, not swept ten minutes later
    }

    [Fact]
    public async Task SweeperNewlyBeating_LeavesAStaleNodeUntilItsOwnHeartbeatsHaveRunANodeTimeout()
    {
        // After a database outage every node's heartbeat is as old as the outage: a sweeper that has just got through
        // again must give the live nodes a node timeout to beat again before it takes any for dead.
        var settings = new { Cluster = new { PollMs = 200, HeartbeatMs = 200, NodeTimeoutMs = 600_000 } };
        await using var a = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        await ScalarAsync($"INSERT INTO \"{_schema}\".cluster_nodes (node_id, started_at, heartbeat_at) " +
                          "VALUES ('silent', now() - interval '2 hours', now() - interval '1 hour') RETURNING 1");
        await Poll.UntilAsync(async () =>
        {
            using var ready = await a.Http.GetAsync("/readyz", Ct);
            return ready.Headers.TryGetValues("Switchyard-Leads", out var roles) && string.Join(",", roles).Contains("node-sweeper", StringComparison.Ordinal);
        }, Bound, Ct, a);

        // Three of A's heartbeats later, each followed by the sweep it may run, the silent node is still there.
        var beats = 0;
        object? last = null;
        await Poll.UntilAsync(async () =>
        {
            var at = await ScalarAsync($"SELECT max(heartbeat_at) FROM \"{_schema}\".cluster_nodes WHERE node_id <> 'silent'");
            beats += last is not null && !at.Equals(last) ? 1 : 0;
            last = at;
            return beats >= 3;
        }, Bound, Ct, a);
        Assert.Equal(2, await CountAsync("cluster_nodes"));
    }

    private static HttpRequestMessage Chat(bool stream) => new(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = new StringContent(
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Say hello"}],"stream":{{(stream ? "true" : "false")}}}""",
            Encoding.UTF8, "application/json"),
    };

    private static string Delta(string chunk)
    {
        using var document = JsonDocument.Parse(chunk);
        var choices = document.RootElement.GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content)
            ? content.GetString()!
            : string.Empty;
    }

    private static async Task<(int Status, JsonElement Body)> PostDialectAsync(ServerNode node, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await node.Http.PostAsync("/api/openai", content, Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    private static async Task<JsonElement> GetJsonAsync(ServerNode node, string path)
    {
        using var document = JsonDocument.Parse(await node.Http.GetStringAsync(path, Ct));
        return document.RootElement.Clone();
    }

    private static async Task<IReadOnlyList<string>> ModelsAsync(ServerNode node) =>
        (await GetJsonAsync(node, "/v1/models")).GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToArray();

    private async Task<long> CountAsync(string table) => (long)await ScalarAsync($"SELECT count(*) FROM \"{_schema}\".{table}");

    private async Task<object> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.Cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(Ct))!;
    }
}
