using System.Net.Http.Json;
using Npgsql;
using Switchyard.Client.Contracts;
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
    private readonly string _schema = PostgresCluster.NewSchema();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await cluster.DropSchemaAsync(_schema);

    [Fact(Skip = "The PostgreSQL store does not keep task types and queue settings yet (branch pg-controls)")]
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
    }

    [Fact(Skip = "The PostgreSQL store does not keep task types and queue settings yet (branch pg-controls)")]
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
    public void Build_PostgresWithoutConnectionString_RefusesNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SwitchyardServer.Build(new Dictionary<string, string?>
        {
            ["Server:Store"] = "postgres",
            ["Postgres:ConnectionString"] = "",
        }));
        Assert.Contains("Postgres:ConnectionString is required", error.Message, StringComparison.Ordinal);
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
