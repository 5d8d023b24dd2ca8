using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Server.Endpoints;
using Switchyard.Server.Hosting;
using Switchyard.Storage.Conformance.Postgres;

namespace Switchyard.Server.Tests;

/// <summary>
/// Real servers with <c>Server:Store=postgres</c> on the run's private PostgreSQL cluster, each test on a fresh schema.
/// A class fixture rather than an assembly fixture: xunit creates assembly fixtures before any test runs, so every
/// filtered run of this project would start (and need) PostgreSQL.
/// </summary>
public sealed class PostgresServerTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _schema = PostgresCluster.NewSchema();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await cluster.DropSchemaAsync(_schema);

    [Fact]
    public async Task SubmitClaimComplete_PostgresStore_CompletedInTheSchema()
    {
        await using var server = await StartAsync();
        using (var ready = await server.Http.GetAsync("/readyz", Ct))
        {
            Assert.Equal("ready", await ready.Content.ReadAsStringAsync(Ct));
            Assert.Equal(ServerOptions.PostgresStore, Assert.Single(ready.Headers.GetValues(HealthApi.StoreHeader)));
        }

        var submitted = await server.SubmitAsync(new { type = "echo", payload = new { hello = "postgres" } });
        Assert.Equal("queued", submitted.State);
        var claimed = await server.ClaimOneAsync();
        Assert.Equal(submitted.Id, claimed.Id);
        Assert.Equal("running", claimed.State);
        await CompleteAsync(server, claimed, new { hello = "postgres" });

        var done = await server.GetAsync(submitted.Id);
        Assert.Equal("completed", done.State);
        Assert.Equal("""{"hello":"postgres"}""", done.Result?.Raw);
        Assert.Equal("completed", await StateInSchemaAsync(submitted.Id));
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "switchyard.db")), "a postgres node must not open the SQLite file");

        // Its connections are named so in pg_stat_activity (the listener's is open for as long as the node runs).
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var named = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'switchyard'", connection);
        Assert.True((long)(await named.ExecuteScalarAsync(Ct))! >= 1);
    }

    [Fact]
    public async Task TwoServers_SameSchema_ShareTasks()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();

        var submitted = await a.SubmitAsync(new { type = "echo", payload = 7 });
        var claimed = await b.ClaimOneAsync("worker-on-b");
        Assert.Equal(submitted.Id, claimed.Id);
        Assert.Empty((await a.ClaimAsync(new ClaimTasksRequest { WorkerId = "worker-on-a" })).Tasks);
        Assert.Equal("running", (await a.GetAsync(submitted.Id)).State);

        await CompleteAsync(b, claimed, 8);
        var done = await a.GetAsync(submitted.Id);
        Assert.Equal("completed", done.State);
        Assert.Equal("8", done.Result?.Raw);
    }

    [Fact]
    public async Task PauseThroughPatch_PostgresStore_ClaimsHeldUntilResumeReleasesThem()
    {
        await using var server = await StartAsync();
        Assert.True((await PatchAsync(server, """{"paused": true}""")).Settings!.Paused);
        var task = await server.SubmitAsync(new { type = "echo" });

        Assert.Empty((await server.ClaimAsync(new ClaimTasksRequest { WorkerId = "w1" })).Tasks);
        var waiting = server.ClaimAsync(new ClaimTasksRequest { WorkerId = "w1", WaitMs = 30_000 });
        Assert.False((await PatchAsync(server, """{"paused": false}""")).Settings!.Paused);

        Assert.Equal(task.Id, Assert.Single((await waiting.WaitAsync(Bound, Ct)).Tasks).Id);
    }

    [Fact]
    public async Task TwoServers_PausedThroughOne_TheOtherHoldsClaimsWithoutBeingTold()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var task = await b.SubmitAsync(new { type = "echo" });

        await PatchAsync(a, """{"paused": true}""");
        Assert.Empty((await b.ClaimAsync(new ClaimTasksRequest { WorkerId = "w-b" })).Tasks);
        await PatchAsync(a, """{"paused": false}""");

        Assert.Equal(task.Id, (await b.ClaimOneAsync("w-b")).Id);
    }

    [Fact]
    public async Task TwoServers_TypeDefinedThroughOne_TheOtherAppliesIt()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        using (var put = new StringContent("""{"defaults": {"queue": "llm", "priority": 4}}""", Encoding.UTF8, "application/json"))
        using (var response = await a.Http.PutAsync("/api/v1/task-types/llm.chat", put, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The cluster layer announces the change and b reads the types again by itself; the explicit reload makes the
        // moment certain for the test (it is idempotent).
        await b.Services.GetRequiredService<ControlsReload>().ReloadAsync(Ct).WaitAsync(Bound, Ct);

        var submitted = await b.SubmitAsync(new { type = "llm.chat" });
        Assert.Equal(("llm", 4), (submitted.Queue, submitted.Priority));
    }

    [Fact]
    public void Build_PostgresWithoutConnectionString_RefusesNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SwitchyardServer.Build(new Dictionary<string, string?>
        {
            ["Server:Store"] = "postgres",
            ["Postgres:ConnectionString"] = "",
        }));
        Assert.Contains("Postgres:ConnectionString is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hots=db", "'hots' is not a setting Npgsql knows")]
    [InlineData("Host=db;Port=abc", "port: The input string 'abc' was not in a correct format.")]
    [InlineData("Host=db;Timeout=-1", "timeout: value ('-1') must be a no")]
    public void Build_BadConnectionString_SaysWhatIsWrongWithoutDotNetNotes(string connectionString, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SwitchyardServer.Build(new Dictionary<string, string?>
        {
            ["Server:Store"] = "postgres",
            ["Postgres:ConnectionString"] = connectionString,
        }));
        Assert.StartsWith($"Postgres:ConnectionString is not a valid connection string: {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownStore_RefusesNamingTheChoices()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SwitchyardServer.Build(new Dictionary<string, string?>
        {
            ["Server:Store"] = "mysql",
        }));
        Assert.Contains("Server:Store must be 'sqlite' or 'postgres', not 'mysql'", error.Message, StringComparison.Ordinal);
    }

    private Task<TestServer> StartAsync() => TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Server:Store"] = "postgres",
        ["Postgres:ConnectionString"] = cluster.ConnectionString,
        ["Postgres:Schema"] = _schema,
    });

    private static async Task<QueueDto> PatchAsync(TestServer server, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/queues/default")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/merge-patch+json"),
        };
        using var response = await server.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.QueueDto, Ct))!;
    }

    private static async Task CompleteAsync(TestServer server, TaskDto claimed, object result)
    {
        using var response = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{claimed.Id}/complete",
            new { leaseToken = claimed.Lease!.Token, result }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private async Task<string?> StateInSchemaAsync(string id)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT state FROM \"{_schema}\".tasks WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (string?)await command.ExecuteScalarAsync(Ct);
    }
}
