using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchyard.Core.Cluster;
using Switchyard.Core.Dispatch;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// Writes this node's presence for the other nodes, from one loop and never on a worker's path: its heartbeat in
/// <c>cluster_nodes</c> every <see cref="ClusterOptions.HeartbeatMs"/> (the database's clock), and its push workers in
/// <c>cluster_workers</c> whenever some connected, went quiet or left (changes that come together are written together,
/// with a notice in the same transaction so the other nodes read them again). The node holding
/// <see cref="LeaderRoles.NodeSweeper"/> deletes the rows of nodes silent for <see cref="ClusterOptions.NodeTimeoutMs"/>,
/// once its own heartbeats have got through for that long (so a database outage does not make live nodes look dead).
/// On a clean stop the node deletes its own rows.
/// </summary>
public sealed partial class PgWorkerPresence(
    PostgresDatabase database, PgClusterBus bus, PushDispatcher dispatcher, PgRemoteWorkers remote, ILeadership leadership,
    TimeProvider time, ILogger<PgWorkerPresence> logger) : BackgroundService
{
    /// <summary>How long a clean stop may take to delete the node's rows.</summary>
    public static readonly TimeSpan LeaveBound = TimeSpan.FromSeconds(5);

    private const string Upsert =
        "INSERT INTO cluster_workers (node_id, worker_id, protocol, queues, groups, types, connected_at, quiet, name, version) " +
        "VALUES (@node, @worker, @protocol, @queues, @groups, @types, @connected_at, @quiet, @name, @version) " +
        "ON CONFLICT (node_id, worker_id) DO UPDATE SET quiet = excluded.quiet WHERE cluster_workers.quiet <> excluded.quiet";

    /// <summary>What is in the store for this node now (worker id, quiet); null when unknown (write everything again).</summary>
    private Dictionary<string, bool>? _written;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(LeaveBound);
        try
        {
            await using var connection = await database.OpenAsync(bounded.Token);
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(Command("DELETE FROM cluster_nodes WHERE node_id = @node"));
            batch.BatchCommands.Add(Notice());
            await batch.ExecuteNonQueryAsync(bounded.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogLeaveFailed(ex); // the other nodes drop this one when its heartbeat is too old
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = TimeSpan.FromMilliseconds(bus.Options.HeartbeatMs);
        var dirty = true;
        var lastBeat = 0L;
        var first = true;

        // Since when this node's own heartbeats have got through without a break. It sweeps only after a whole node
        // timeout of them: after the database was away, every node's heartbeat is as old as the outage, and a live node
        // must have the time to beat again before its silence means anything (else its workers' running tasks would
        // be handed back and run twice).
        var nodeTimeout = TimeSpan.FromMilliseconds(bus.Options.NodeTimeoutMs);
        long? beatingSince = null;

        await WarnIfIdInUseAsync(stoppingToken);

        // The signal held is replaced only once it has fired, and before the sessions are read: a change that comes at
        // any moment (while writing, or as a wait for the heartbeat times out) completes the one held, and is written.
        var changed = dispatcher.SessionsChanged;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (changed.IsCompleted)
            {
                dirty = true;
                changed = dispatcher.SessionsChanged;
            }

            var beat = lastBeat == 0 || time.GetElapsedTime(lastBeat) >= heartbeat;
            try
            {
                if (dirty || (beat && !await BeatAsync(stoppingToken)))
                {
                    await WriteAsync(stoppingToken);
                }

                dirty = false;
                beatingSince ??= time.GetTimestamp();
                if (beat)
                {
                    lastBeat = time.GetTimestamp();
                    if (leadership.Holds(LeaderRoles.NodeSweeper) && time.GetElapsedTime(beatingSince.Value) >= nodeTimeout)
                    {
                        await SweepAsync(stoppingToken);
                    }
                }

                if (first)
                {
                    first = false;
                    await remote.ReloadAsync(stoppingToken); // the others' workers before the first polling round
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogWriteFailed(ex);
                beatingSince = null;
                _written = null;
                dirty = true;
                lastBeat = time.GetTimestamp(); // try again at the next heartbeat, or at the next change
            }

            try
            {
                var left = heartbeat - time.GetElapsedTime(lastBeat);
                await changed.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, stoppingToken);
            }
            catch (TimeoutException)
            {
                // the next heartbeat is due
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Warns when this node's id has a fresh heartbeat from before this node wrote any: another live node with the same
    /// <c>Cluster:NodeId</c> (their rows would overwrite each other's), or this node's own last run, restarted at once.
    /// </summary>
    private async Task WarnIfIdInUseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT (extract(epoch FROM now() - heartbeat_at) * 1000)::bigint FROM cluster_nodes WHERE node_id = @node", connection);
            command.Parameters.AddWithValue("node", bus.NodeId);
            if (await command.ExecuteScalarAsync(cancellationToken) is long ageMs && ageMs < bus.Options.NodeTimeoutMs)
            {
                LogIdInUse(bus.NodeId, ageMs);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The first write says what is wrong with the store.
        }
    }

    /// <summary>Stamps the heartbeat; false when the node's row is gone (it was taken for dead), so everything is written again.</summary>
    private async Task<bool> BeatAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE cluster_nodes SET heartbeat_at = now() WHERE node_id = @node", connection);
        command.Parameters.AddWithValue("node", bus.NodeId);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return true;
        }

        _written = null;
        return false;
    }

    /// <summary>The node's row and the workers that changed since the last write, with the notice, in one transaction.</summary>
    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        var sessions = dispatcher.Sessions;
        var now = sessions.ToDictionary(s => s.Spec.WorkerId, s => s.IsQuiet || s.IsClosed, StringComparer.Ordinal);
        var written = _written;
        var changed = sessions
            .Where(s => written is null || !written.TryGetValue(s.Spec.WorkerId, out var quiet) || quiet != now[s.Spec.WorkerId])
            .ToArray();
        if (written is not null && changed.Length == 0 && written.Keys.All(now.ContainsKey))
        {
            return; // a change and its undoing came together
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(
            "INSERT INTO cluster_nodes (node_id, started_at, heartbeat_at) VALUES (@node, now(), now()) " +
            "ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()"));
        var remove = Command("DELETE FROM cluster_workers WHERE node_id = @node AND NOT (worker_id = ANY(@workers))");
        remove.Parameters.AddWithValue("workers", now.Keys.ToArray());
        batch.BatchCommands.Add(remove);
        foreach (var session in changed)
        {
            var row = Command(Upsert);
            row.Parameters.AddWithValue("worker", session.Spec.WorkerId);
            row.Parameters.AddWithValue("protocol", session.Spec.Protocol);
            row.Parameters.AddWithValue("queues", session.Spec.Queues.ToArray());
            row.Parameters.AddWithValue("groups", session.Spec.Groups.ToArray());
            row.Parameters.AddWithValue("types", session.Spec.Types.ToArray());
            row.Parameters.AddWithValue("connected_at", session.ConnectedAt.ToUnixTimeMilliseconds());
            row.Parameters.AddWithValue("quiet", now[session.Spec.WorkerId]);
            row.Parameters.AddWithValue("name", session.Spec.Name);
            row.Parameters.AddWithValue("version", (object?)session.Spec.Version ?? DBNull.Value);
            batch.BatchCommands.Add(row);
        }

        batch.BatchCommands.Add(Notice());
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        batch.Transaction = transaction;
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (changed.Length > 0 || written is null || written.Count != now.Count)
        {
            LogWritten(now.Count, changed.Length);
        }

        _written = now;
    }

    /// <summary>
    /// Deletes the rows of nodes silent too long (their workers go with them) and tells the others; then hands back to
    /// their retry policy the tasks those workers were running, as the dead node would have on their disconnect ("Worker
    /// disconnected", by this role). Nobody else will: the dead node cannot, and the workers' leases may be minutes long.
    /// A worker that reconnected elsewhere and reported its tasks, or a task finished or claimed again meanwhile, has
    /// another lease token by then, and the hand-back is refused.
    /// </summary>
    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var dead = new List<(string Node, string? Worker)>();
        var running = new List<(string TaskId, long Token)>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // The query reads the workers' rows as they were before the delete (and its cascade) in the same statement.
            await using var command = new NpgsqlCommand(
                "WITH dead AS (DELETE FROM cluster_nodes WHERE heartbeat_at < now() - make_interval(secs => @timeout_ms / 1000.0) " +
                "RETURNING node_id) SELECT d.node_id, w.worker_id FROM dead AS d LEFT JOIN cluster_workers AS w ON w.node_id = d.node_id",
                connection);
            command.Parameters.AddWithValue("timeout_ms", bus.Options.NodeTimeoutMs);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    dead.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                }
            }

            var workers = dead.Select(d => d.Worker).OfType<string>().ToArray();
            if (workers.Length > 0)
            {
                await using var tasks = new NpgsqlCommand(
                    "SELECT id, lease_token FROM tasks WHERE state = 'running' AND lease_worker = ANY(@workers)", connection);
                tasks.Parameters.AddWithValue("workers", workers);
                await using var reader = await tasks.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    running.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }
        }

        if (dead.Count == 0)
        {
            return;
        }

        LogSwept(string.Join(", ", dead.Select(d => d.Node).Distinct()), bus.Options.NodeTimeoutMs);
        var handedBack = await dispatcher.HandBackAsync(running, LeaderRoles.NodeSweeper, cancellationToken);
        if (running.Count > 0)
        {
            LogHandedBack(handedBack, running.Count);
        }
    }

    private NpgsqlBatchCommand Command(string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("node", bus.NodeId);
        return command;
    }

    private NpgsqlBatchCommand Notice()
    {
        var command = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)");
        command.Parameters.AddWithValue("channel", bus.Channel);
        command.Parameters.AddWithValue("payload", PgNotices.EncodeWorkersChanged(bus.NodeId));
        return command;
    }

    [LoggerMessage(EventId = 2346, Level = LogLevel.Warning, Message = "Cluster:NodeId {NodeId} sent a heartbeat {AgeMs} ms ago, before this node started: unless that was this node's own last run, another node uses the same id, and the two overwrite each other's presence; give each node its own Cluster:NodeId")]
    private partial void LogIdInUse(string nodeId, long ageMs);

    [LoggerMessage(EventId = 2344, Level = LogLevel.Information, Message = "This node's presence written: {Count} push workers ({Changed} changed)")]
    private partial void LogWritten(int count, int changed);

    [LoggerMessage(EventId = 2341, Level = LogLevel.Warning, Message = "Writing this node's presence failed; trying again at the next heartbeat or change")]
    private partial void LogWriteFailed(Exception exception);

    [LoggerMessage(EventId = 2342, Level = LogLevel.Information, Message = "Nodes {Nodes} sent no heartbeat for {TimeoutMs} ms; their rows are deleted")]
    private partial void LogSwept(string nodes, int timeoutMs);

    [LoggerMessage(EventId = 2345, Level = LogLevel.Information, Message = "{HandedBack} of {Running} tasks the swept nodes' workers were running handed back to their retry policy")]
    private partial void LogHandedBack(int handedBack, int running);

    [LoggerMessage(EventId = 2343, Level = LogLevel.Warning, Message = "Deleting this node's presence on stop failed; the other nodes drop it when its heartbeat is too old")]
    private partial void LogLeaveFailed(Exception exception);
}
