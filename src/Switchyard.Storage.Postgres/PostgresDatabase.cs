using Npgsql;

namespace Switchyard.Storage.Postgres;

/// <summary>The pooled connections of one node to the shared database, with Switchyard's schema first on the search path.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
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
    }

    public PostgresStoreOptions Options { get; }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
