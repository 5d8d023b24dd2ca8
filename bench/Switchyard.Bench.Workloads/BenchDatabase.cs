using Npgsql;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// Where one run's server keeps its tasks besides its data folder: nothing for SQLite (the folder holds the database);
/// for PostgreSQL a schema of its own on the given database, named here and dropped when the run ends.
/// </summary>
internal sealed class BenchDatabase : IDisposable
{
    private readonly string? _connection;

    private BenchDatabase(string? connection, string? schema)
    {
        _connection = connection;
        Schema = schema;
    }

    public string? Schema { get; }

    public static BenchDatabase For(PeerBenchOptions options) =>
        options.Store == PeerBenchOptions.PostgresStore
            ? new BenchDatabase(options.PostgresConnection, $"bench_{Guid.NewGuid():N}"[..20])
            : new BenchDatabase(null, null);

    /// <summary>The <c>switchyard serve</c> options that put the server on this store.</summary>
    public IEnumerable<string> ServeArgs() =>
        Schema is null ? ["--store", PeerBenchOptions.SqliteStore] : ["--store", PeerBenchOptions.PostgresStore, "--postgres", _connection!, "--schema", Schema];

    /// <summary>
    /// Takes a <c>CHECKPOINT</c> on PostgreSQL, as the peers' harness does before each of their runs, so that no
    /// checkpoint started by the warm-up's or an earlier run's writes falls inside this run. False when the role may not
    /// (PostgreSQL 15 asks for superuser or <c>pg_checkpoint</c>); true for SQLite, where there is nothing to do.
    /// </summary>
    public async Task<bool> CheckpointAsync(CancellationToken cancellationToken)
    {
        if (Schema is null)
        {
            return true;
        }

        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(cancellationToken);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "CHECKPOINT";
        try
        {
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Schema is null)
        {
            return;
        }

        using var connection = new NpgsqlConnection(_connection);
        connection.Open();
        using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP SCHEMA IF EXISTS {Schema} CASCADE";
        drop.ExecuteNonQuery();
    }
}
