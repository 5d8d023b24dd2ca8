using System.Data.Common;
using Npgsql;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>The pooled connections of one node to the shared database, with Switchyard's schema first on the search path.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>A long-lived connection (listening, leadership) sends a keep-alive query after this many idle seconds, so a dead server is noticed.</summary>
    public const int DedicatedKeepAliveSeconds = 10;

    /// <summary>Statements Npgsql prepares on each connection once they have run twice (unless the connection string says otherwise).</summary>
    public const int AutoPrepared = 64;

    /// <summary>
    /// Connections one node's pool opens at most (unless the connection string says otherwise; Npgsql's own default is 100).
    /// Every store call is short (waiting callers and long polls hold no connection), so more connections than the
    /// database has cores only make its backends compete: with 50, submits at 500/s on a two-core machine queued up
    /// inside PostgreSQL (W3 p50 540 ms); with 10, 92 ms; drains and round trips were the same with either.
    /// </summary>
    public const int PoolSize = 10;

    /// <summary>
    /// What PostgreSQL's side of every connection is told (unless the connection string sets them): probe a silent client
    /// after 10 idle seconds, every 5 seconds, and give up after 3 unanswered probes. A node whose host died or was cut off
    /// says nothing more, and with the operating system's defaults its sessions would hold their advisory locks (a
    /// maintenance role's leadership) and row locks for about two hours; with these, for about 25 seconds.
    /// </summary>
    public const string ServerKeepAlives = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3";

    /// <summary>The <c>application_name</c> of Switchyard's connections, unless the connection string gives one.</summary>
    public const string DefaultApplicationName = "switchyard";

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

        // Every store call is a few statements on a pooled connection: prepared statements skip the parse and plan,
        // and a connection handed back keeps them (no DISCARD ALL; Switchyard leaves no session state behind).
        var given = Given(options.ConnectionString);
        if (!given.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = AutoPrepared;
        }

        if (!given.Contains("maxpoolsize") && !given.Contains("maximumpoolsize"))
        {
            builder.MaxPoolSize = PoolSize;
        }

        if (!given.Contains("applicationname"))
        {
            builder.ApplicationName = DefaultApplicationName; // how pg_stat_activity names these connections
        }

        if (!given.Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }

        if (options.Durability == Durability.Process)
        {
            builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        }

        if (builder.Options?.Contains("tcp_keepalives", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} {ServerKeepAlives}".Trim();
        }

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

    /// <summary>The keywords a connection string sets, lower case without spaces (so "Max Auto Prepare" and "MaxAutoPrepare" match).</summary>
    private static HashSet<string> Given(string connectionString)
    {
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>().Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }
}
