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
