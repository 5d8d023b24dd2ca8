using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchyard.Core.Cluster;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Storage.Conformance.Postgres;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

/// <summary>The worker directory's PostgreSQL side in one process: what a node reads of the others, and what it writes of itself.</summary>
public sealed class WorkerDirectoryTests(SharedPostgres postgres) : IAsyncLifetime
{
    private readonly string _schema = PostgresCluster.NewSchema();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await postgres.Cluster.DropSchemaAsync(_schema);

    [Fact]
    public async Task Reload_NodeSilentPastTheTimeout_ItsWorkersLeftOutAndItsRowsSweptByTheLeader()
    {
        await using var node = await ClusterNode.StartAsync(postgres.Cluster.ConnectionString, _schema, 1_000, Ct);
        await ExecuteAsync(
            "INSERT INTO cluster_nodes VALUES ('ghost', now() - interval '2 hours', now() - interval '1 hour'), ('alive', now(), now() + interval '1 hour');" + // alive: its heartbeats keep coming
            "INSERT INTO cluster_workers VALUES ('ghost', 'g1', 'ws', '{default}', '{old}', '{}', 1, false)," +
            " ('alive', 'l1', 'dispatcher', '{default}', '{gpt-test}', '{llm.chat}', 1700000000000, false)," +
            " ('alive', 'l2', 'ws', '{default}', '{}', '{}', 1700000000001, true);");
        using var dispatcher = new PushDispatcher(node.Broker, Options.Create(new DispatchOptions()), NullLogger<PushDispatcher>.Instance);
        var directory = new WorkerDirectory(dispatcher, node.Bus);
        Assert.False(directory.AnyConnected);
        using var remote = new PgRemoteWorkers(node.Database, node.Bus, directory, TimeProvider.System, NullLogger<PgRemoteWorkers>.Instance);

        await remote.ReloadAsync(Ct);

        Assert.True(directory.AnyConnected);
        Assert.Equal(
            [
                new ConnectedWorker("alive", "l1", "dispatcher", ["default"], ["gpt-test"], ["llm.chat"],
                    DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), false),
                new ConnectedWorker("alive", "l2", "ws", ["default"], [], [], DateTimeOffset.FromUnixTimeMilliseconds(1700000000001), true),
            ],
            directory.Connected(),
            new ConnectedWorkerComparer());

        // The dead node's worker g1 holds a task under a lease of ten minutes; another node's worker l1 holds one too.
        var orphan = await RunningAsync(node, "g1");
        var kept = await RunningAsync(node, "l1");

        using var presence = new PgWorkerPresence(node.Database, node.Bus, dispatcher, remote, SoleLeader.Instance, TimeProvider.System,
            NullLogger<PgWorkerPresence>.Instance);
        await presence.StartAsync(Ct);
        await Poll.UntilAsync(async () => await NodesAsync() is ["alive", var self] && self == node.Bus.NodeId, TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM cluster_workers"));

        // The sweep hands g1's task back to its retry policy (after the delete), not when its lease runs out; l1's is untouched.
        TaskRecord? handedBack = null;
        await Poll.UntilAsync(async () => (handedBack = await node.Broker.GetAsync(orphan, Ct))!.State != TaskState.Running, TimeSpan.FromSeconds(30), Ct);
        Assert.Equal((TaskState.Queued, 1, PushDispatcher.Disconnected.Message), (handedBack!.State, handedBack.Attempt, handedBack.Error?.Message));
        Assert.Equal(TaskState.Running, (await node.Broker.GetAsync(kept, Ct))!.State);

        await presence.StopAsync(Ct);
        Assert.Equal(["alive"], await NodesAsync());
    }

    private static async Task<string> RunningAsync(ClusterNode node, string workerId)
    {
        var submitted = await node.Broker.SubmitAsync(new SubmitTask { Type = "echo", Queue = workerId }, "tester", Ct);
        var claimed = await node.Broker.ClaimAsync(new ClaimSpec { WorkerId = workerId, Queues = [workerId], MaxTasks = 1, LeaseMs = 600_000 }, Ct);
        return Assert.Single(claimed.Value!).Id == submitted.Value!.Task.Id ? submitted.Value.Task.Id : throw new InvalidOperationException("claimed another task");
    }

    private async Task<IReadOnlyList<string>> NodesAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT node_id FROM cluster_nodes ORDER BY node_id = 'alive' DESC, node_id", connection);
        var nodes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            nodes.Add(reader.GetString(0));
        }

        return nodes;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.Cluster.ConnectionString) { SearchPath = _schema }.ConnectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    /// <summary>Records compare their lists by reference; this compares them by content.</summary>
    private sealed class ConnectedWorkerComparer : IEqualityComparer<ConnectedWorker>
    {
        public bool Equals(ConnectedWorker? x, ConnectedWorker? y) => x is not null && y is not null
            && (x.NodeId, x.WorkerId, x.Protocol, x.ConnectedAt, x.Quiet) == (y.NodeId, y.WorkerId, y.Protocol, y.ConnectedAt, y.Quiet)
            && x.Queues.SequenceEqual(y.Queues) && x.Groups.SequenceEqual(y.Groups) && x.Types.SequenceEqual(y.Types);

        public int GetHashCode(ConnectedWorker obj) => HashCode.Combine(obj.NodeId, obj.WorkerId);
    }
}
