using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Switchyard.Storage.Conformance.Postgres;

/// <summary>
/// A private PostgreSQL cluster for one test run: <c>initdb</c> in a temporary folder, started on a free loopback port,
/// stopped and deleted at the end. As root it runs as the <c>postgres</c> user (PostgreSQL refuses root). Set
/// <c>SWITCHYARD_TEST_POSTGRES</c> to a connection string to use an existing server instead, and
/// <c>SWITCHYARD_PG_BIN</c> to pick the binaries (default: the newest under <c>/usr/lib/postgresql</c>).
/// Durability settings are relaxed (<c>fsync=off</c>): tests restart processes, not machines. A test that restarts
/// PostgreSQL takes a dedicated cluster (<see cref="StartDedicatedAsync"/>), never the run's shared one.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private string? _directory;
    private string? _bin;
    private bool _dedicated;

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>A cluster of the caller's own, whatever <c>SWITCHYARD_TEST_POSTGRES</c> says, that <see cref="RestartAsync"/> may restart.</summary>
    public static async Task<PostgresCluster> StartDedicatedAsync()
    {
        var cluster = new PostgresCluster { _dedicated = true };
        await cluster.InitializeAsync();
        return cluster;
    }

    /// <summary>Restarts a dedicated cluster (fast shutdown: sessions are cut, committed work stays) and waits until it takes connections.</summary>
    public async Task RestartAsync()
    {
        if (_directory is null || _bin is null)
        {
            throw new InvalidOperationException("Only a dedicated cluster (StartDedicatedAsync) may be restarted.");
        }

        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-l", Path.Combine(_directory, "postgres.log"), "-m", "fast", "-w", "-t", "60", "restart"]);
    }

    public async ValueTask InitializeAsync()
    {
        if (!_dedicated && Environment.GetEnvironmentVariable("SWITCHYARD_TEST_POSTGRES") is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }

        _bin = FindBinaries();
        _directory = Directory.CreateTempSubdirectory("switchyard-pg-").FullName;
        var data = Path.Combine(_directory, "data");
        var port = FreePort();
        await RunAsync("chmod", ["755", _directory]);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _directory]);
        }

        await RunAsPostgresAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(_directory, "postgres.log"), "-w", "-t", "60", "start", "-o",
            $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_directory} -c fsync=off " +
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
        ]);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    /// <summary>A new, empty schema name for one store; drop it with <see cref="DropSchemaAsync"/>.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N");

    public async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A new, empty database on the cluster: its connection string and name; drop it with <see cref="DropDatabaseAsync"/>.</summary>
    public async Task<(string ConnectionString, string Name)> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "d_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return (new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString, name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, cutting any session still on it.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Returns once every transaction of the cluster that held a transaction id before the call has ended: takes an id of
    /// its own (committed at once), then waits in the server until the oldest running id is past it.
    /// </summary>
    public async Task AwaitOlderTransactionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        ulong mark;
        await using (var take = new NpgsqlCommand("SELECT pg_current_xact_id()::text", connection))
        {
            mark = ulong.Parse((string)(await take.ExecuteScalarAsync(cancellationToken))!, CultureInfo.InvariantCulture);
        }

        await using var wait = new NpgsqlCommand(
            $"DO $$ BEGIN WHILE pg_snapshot_xmin(pg_current_snapshot()) < '{mark}'::xid8 LOOP PERFORM pg_sleep(0.002); END LOOP; END $$", connection);
        await wait.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_directory is null || _bin is null)
        {
            return;
        }

        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("SWITCHYARD_PG_BIN") is { Length: > 0 } bin)
        {
            return bin;
        }

        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: the PostgreSQL tests need initdb and pg_ctl (./test.sh installs the Debian package " +
            "'postgresql'), or SWITCHYARD_TEST_POSTGRES pointing at a server.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, IReadOnlyList<string> arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Bound);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
