using Npgsql;

namespace Switchyard.Storage.Postgres;

/// <summary>The pooled connections of one node to the shared database, with Switchyard's schema first on the search path.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>A long-lived connection (listening, leadership) sends a keep-alive query after this many idle seconds, so a dead server is noticed.</summary>
    public const int DedicatedKeepAliveSeconds = 10;

    private readonly string _dedicated;

    public PostgresDatabase(PostgresStoreOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }

        Options = options;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { SearchPath = options.Schema };
        DataSource = NpgsqlDataSource.Create(builder);
        _dedicated = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, KeepAlive = DedicatedKeepAliveSeconds }.ConnectionString;
    }

    public PostgresStoreOptions Options { get; }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>A connection of its own, outside the pool, for session state that must last (LISTEN, advisory locks); dispose it to end them.</summary>
    public async Task<NpgsqlConnection> OpenDedicatedAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_dedicated);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
