using Microsoft.Data.Sqlite;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>The database file, its connection strings and the in-memory counts shared by the writer and the readers.</summary>
public sealed class SqliteDatabase
{
    public SqliteDatabase(SqliteStoreOptions options)
    {
        Options = options;
        Tuned = SqliteEngine.EnsureConfigured();
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        WriterConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        ReaderConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public SqliteStoreOptions Options { get; }

    /// <summary>Whether SQLite runs with Switchyard's process-wide settings (see <see cref="SqliteEngine"/>).</summary>
    public bool Tuned { get; }

    internal string WriterConnectionString { get; }

    internal string ReaderConnectionString { get; }

    internal StateCounts Counts { get; } = new();

    /// <summary>Applies the migrations the file has not seen (creating it if missing); returns how many, and the schema version.</summary>
    public (int Applied, int Version) Migrate()
    {
        using var connection = OpenWriter();
        var applied = Migrator.Apply(connection);
        using var version = connection.CreateCommand();
        version.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return (applied, Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    internal SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(WriterConnectionString);
        connection.Open();
        var synchronous = Options.Durability == Durability.Fsync ? "FULL" : "NORMAL";
        Pragmas(connection,
            "PRAGMA journal_mode = WAL",
            $"PRAGMA synchronous = {synchronous}",
            "PRAGMA busy_timeout = 5000",
            "PRAGMA temp_store = MEMORY",
            $"PRAGMA cache_size = -{Options.CacheSizeKib}");
        return connection;
    }

    internal async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ReaderConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static void Pragmas(SqliteConnection connection, params string[] pragmas)
    {
        foreach (var pragma in pragmas)
        {
            using var command = connection.CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }
    }
}
