using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchyard.Core.Cluster;
using Switchyard.Storage.Conformance.Postgres;
using Switchyard.Storage.Postgres;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

/// <summary>Leader election by advisory lock: every role has exactly one holder, and a holder whose connection dies hands over.</summary>
public sealed class LeadershipTests(SharedPostgres postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _schema = PostgresCluster.NewSchema();
    private readonly List<IAsyncDisposable> _owned = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await postgres.Cluster.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task TwoContenders_EachRoleHasOneLeader()
    {
        var a = await StartAsync();
        var b = await StartAsync();

        await UntilAsync(() => LeaderRoles.All.All(role => a.Holds(role) || b.Holds(role)), a, b);
        Assert.Empty(a.Held.Intersect(b.Held));
    }

    [Fact]
    public async Task LeaderConnectionKilled_TheOtherNodeTakesOver()
    {
        var a = await StartAsync();
        await UntilAsync(() => a.Held.Count == LeaderRoles.All.Count, a);
        var b = await StartAsync();

        Assert.Equal(1, await TerminateHoldersAsync());

        await UntilAsync(() => b.Held.Count == LeaderRoles.All.Count, b);
        await UntilAsync(() => a.Held.Count == 0, a);
        Assert.Equal(LeaderRoles.All, b.Held);
    }

    private async Task<PgLeadership> StartAsync()
    {
        var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = postgres.Cluster.ConnectionString, Schema = _schema });
        var bus = new PgClusterBus(database, Options.Create(new ClusterOptions { LeadershipMs = 50 }), NullLogger<PgClusterBus>.Instance);
        var leadership = new PgLeadership(database, bus, TimeProvider.System, NullLogger<PgLeadership>.Instance);
        _owned.Add(database);
        _owned.Add(bus);
        _owned.Add(await Running<PgLeadership>.StartAsync(leadership, Ct));
        return leadership;
    }

    /// <summary>Ends the sessions that hold this schema's advisory locks, as a crash or a network cut would; returns how many.</summary>
    private async Task<int> TerminateHoldersAsync()
    {
        await using var connection = new NpgsqlConnection(postgres.Cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM (SELECT DISTINCT pid FROM pg_locks " +
            "WHERE locktype = 'advisory' AND objsubid = 2 AND classid::bigint = @key) AS holders", connection);
        command.Parameters.AddWithValue("key", (long)(uint)PgChannel.SchemaKey(_schema));
        return (int)(long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static Task UntilAsync(Func<bool> condition, params PgLeadership[] watched) => Leaders.UntilAsync(condition, Bound, Ct, watched);
}
