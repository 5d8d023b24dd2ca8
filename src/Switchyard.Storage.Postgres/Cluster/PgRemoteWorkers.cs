using Microsoft.Extensions.Logging;
using Npgsql;
using Switchyard.Core.Cluster;
using Switchyard.Core.Dispatch;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// This node's copy of the other nodes' push workers, read from <c>cluster_workers</c> into the
/// <see cref="WorkerDirectory"/>: when a node says its workers changed, and on every round of the polling fallback
/// (as an <see cref="IClusterCache"/>). Workers of a node whose heartbeat is older than
/// <see cref="ClusterOptions.NodeTimeoutMs"/> by the database's clock are left out: a killed node drops out by itself.
/// </summary>
public sealed partial class PgRemoteWorkers(
    PostgresDatabase database, PgClusterBus bus, WorkerDirectory directory, TimeProvider time, ILogger<PgRemoteWorkers> logger)
    : IClusterCache, IDisposable
{
    private const string Select =
        "SELECT w.node_id, w.worker_id, w.protocol, w.queues, w.groups, w.types, w.connected_at, w.quiet, w.name, w.version " +
        "FROM cluster_workers AS w JOIN cluster_nodes AS n ON n.node_id = w.node_id " +
        "WHERE w.node_id <> @node AND n.heartbeat_at > now() - make_interval(secs => @timeout_ms / 1000.0) " +
        "ORDER BY w.connected_at, w.node_id, w.worker_id";

    private readonly SemaphoreSlim _reading = new(1, 1);
    private long _readAt = time.GetTimestamp();

    /// <summary>Reads the other nodes' workers again; when the store cannot be read, the last copy stands until it is too old to trust.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            var workers = await ReadAsync(cancellationToken);
            var before = directory.Remote;
            directory.ReplaceRemote(workers);
            _readAt = time.GetTimestamp();
            if (!before.Select(w => (w.NodeId, w.WorkerId, w.Quiet)).SequenceEqual(workers.Select(w => (w.NodeId, w.WorkerId, w.Quiet))))
            {
                LogChanged(workers.Count, string.Join(", ", workers.Select(w => $"{w.WorkerId}@{w.NodeId}{(w.Quiet ? " (quiet)" : string.Empty)}")));
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogReadFailed(ex);
            if (time.GetElapsedTime(_readAt) > TimeSpan.FromMilliseconds(bus.Options.NodeTimeoutMs))
            {
                directory.ReplaceRemote([]); // nothing vouches for those workers any more
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose() => _reading.Dispose();

    private async Task<List<ConnectedWorker>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Select, connection);
        command.Parameters.AddWithValue("node", bus.NodeId);
        command.Parameters.AddWithValue("timeout_ms", bus.Options.NodeTimeoutMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var workers = new List<ConnectedWorker>();
        while (await reader.ReadAsync(cancellationToken))
        {
            workers.Add(new ConnectedWorker(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                reader.GetFieldValue<string[]>(4),
                reader.GetFieldValue<string[]>(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.GetBoolean(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return workers;
    }

    [LoggerMessage(EventId = 2332, Level = LogLevel.Information, Message = "The other nodes' push workers are now {Count}: {Workers}")]
    private partial void LogChanged(int count, string workers);

    [LoggerMessage(EventId = 2331, Level = LogLevel.Warning, Message = "Reading the other nodes' push workers failed; the last copy stands until it is too old")]
    private partial void LogReadFailed(Exception exception);
}
