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
        using var exclusive = LockExclusive();
        using var connection = OpenWriter();
        var applied = Migrator.Apply(connection);
        using var version = connection.CreateCommand();
        version.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return (applied, Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The file whose lock says a process has the database open for writing: the database's path plus <c>.lock</c>.</summary>
    public string LockPath => Options.DatabasePath + ".lock";

    /// <summary>
    /// Takes the database for this process alone until the returned handle is disposed (or the process ends, however it
    /// ends): the store's writer keeps task rows and counts in memory, so a second process writing the same file would
    /// act on stale state. Throws <see cref="InvalidOperationException"/> when another process holds it.
    /// </summary>
    public IDisposable LockExclusive()
    {
        try
        {
            // FileShare.None is an exclusive flock on Unix and a sharing lock on Windows; the kernel drops either when the
            // process dies, so a crash leaves nothing to clean up.
            return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidOperationException(
                $"The SQLite store {Options.DatabasePath} is in use by another process (it holds {LockPath}). One server "
                + "runs per data directory; stop the other one, give this one another --data folder, or run several nodes "
                + "on the PostgreSQL store.", ex);
        }
    }

    /// <summary>
    /// Closes this database's pooled read connections. Only this pool: <see cref="SqliteConnection.ClearAllPools"/> would
    /// also close, under their feet, the read connections of every other database the process has open.
    /// </summary>
    internal void ClearReaderPool()
    {
        using var connection = new SqliteConnection(ReaderConnectionString);
        SqliteConnection.ClearPool(connection);
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
