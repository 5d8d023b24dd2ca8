using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchyard.Client;

namespace Switchyard.Bench.Workloads;

/// <summary>The runs gathered so far for one store and durability, and the result file they make.</summary>
internal sealed class ResultSheet
{
    private readonly PeerBenchOptions _options;
    private readonly string _durability;
    private readonly string _startedAt;
    private readonly PostgresFacts? _postgres;
    private readonly Dictionary<string, List<WorkloadRun>> _runs = [];

    /// <param name="postgres">The database server the runs used, with the <c>postgres</c> store.</param>
    public ResultSheet(PeerBenchOptions options, string durability, string startedAt, PostgresFacts? postgres = null)
    {
        _options = options;
        _durability = durability;
        _startedAt = startedAt;
        _postgres = postgres;
        foreach (var workload in options.Workloads)
        {
            _runs[workload] = [];
        }
    }

    public string Path => System.IO.Path.Combine(_options.OutputDirectory, $"switchyard-{_options.Store}-{_durability}.json");

    public void Add(string workload, WorkloadRun run) => _runs[workload].Add(run);

    public ResultDocument ToDocument(string? finishedAt) => new()
    {
        System = "switchyard",
        Label = Label(),
        StartedAt = _startedAt,
        Versions = Versions(),
        Server = _postgres is null
            ? "switchyard serve in a process of its own on 127.0.0.1 (embedded SQLite store, WAL), a fresh data folder per run"
            : $"switchyard serve in a process of its own on 127.0.0.1 (PostgreSQL store: PostgreSQL {_postgres.Version} on the " +
              "same machine, the peers' server and settings), a fresh schema per run",
        Durability = Durability(),
        Settings = Settings(),
        Completion = "W2: storage counts (GET /api/v1/queues/bench) every " + _options.Constants.CountPollMs + " ms; W3: per task, a long-poll " +
                     "GET /api/v1/tasks/{id}?wait=60 sent when its submit returns (the server answers when the task settles); " +
                     "W4: POST /api/v1/tasks?wait=true answers with the result",
        Worker = $"1 worker process per run (switchyard bench worker: the .NET worker runtime Switchyard.Worker, one WebSocket connection, " +
                 $"capacity {_options.WorkerCapacity}), connected before the clock starts; producer and observer in the bench process (Switchyard.Client)",
        WorkloadConstants = _options.Constants,
        Workloads = _runs.Where(r => r.Value.Count > 0).ToDictionary(
            r => r.Key,
            r => new WorkloadSlot(r.Value.ToArray(), RunSummary.Summarize(r.Key, RunSummary.ToJson(r.Value)))),
        FinishedAt = finishedAt,
    };

    public async Task WriteAsync(string? finishedAt, CancellationToken cancellationToken)
    {
        var temporary = Path + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(ToDocument(finishedAt), ResultJsonContext.Default.ResultDocument), cancellationToken);
        File.Move(temporary, Path, overwrite: true);
    }

    private Dictionary<string, string> Durability()
    {
        var fsync = _durability == "fsync";
        if (_postgres is null)
        {
            return new Dictionary<string, string>
            {
                ["persistence"] = fsync
                    ? "fsync per commit (SQLite WAL, synchronous=FULL, group commit)"
                    : "WAL, no fsync per commit: survives a killed process, not an OS crash",
                ["setting"] = $"Sqlite:Durability={_durability}",
            };
        }

        var durability = new Dictionary<string, string>(_postgres.Settings.Where(s => s.Key is "fsync" or "synchronous_commit" or "wal_sync_method"))
        {
            ["persistence"] = fsync
                ? "committed by PostgreSQL as configured (synchronous_commit as below: WAL flushed before the answer)"
                : "synchronous_commit=off on Switchyard's sessions: survives a killed Switchyard node; a PostgreSQL crash or power cut loses the last moments",
            ["setting"] = $"Postgres:Durability={_durability}",
        };
        if (!fsync)
        {
            durability["synchronous_commit"] = "off (Switchyard's sessions)";
        }

        return durability;
    }

    private string Label()
    {
        var store = _options.Store == PeerBenchOptions.SqliteStore ? "SQLite" : "PostgreSQL";
        var scaled = _options.Constants.ArePeers ? string.Empty : "; scaled down, not comparable";
        return $"Switchyard / {store} (durability {_durability}{scaled})";
    }

    private Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>
        {
            ["store"] = _options.Store,
            ["durability"] = _durability,
            ["worker_capacity"] = _options.WorkerCapacity.ToString(CultureInfo.InvariantCulture),
            ["warmup_tasks"] = _options.WarmupTasks.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in ServerEnvironment())
        {
            settings[name] = value;
        }

        foreach (var (name, value) in _postgres?.Settings ?? new Dictionary<string, string>())
        {
            settings[$"postgresql.{name}"] = value;
        }

        return settings;
    }

    /// <summary>Server settings the environment passes on to the server (<c>SWITCHYARD_*</c>); keys and connection strings are not shown.</summary>
    private static IEnumerable<(string Name, string Value)> ServerEnvironment() =>
        Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(k => k.StartsWith("SWITCHYARD_", StringComparison.Ordinal) && k is not ("SWITCHYARD_SERVER" or "SWITCHYARD_API_KEY"))
            .Order(StringComparer.Ordinal)
            .Select(k => (k, k.Contains("KEY", StringComparison.OrdinalIgnoreCase) || k.Contains("POSTGRES", StringComparison.Ordinal) ? "(set)" : Environment.GetEnvironmentVariable(k) ?? string.Empty));

    private Dictionary<string, string> Versions() => new()
    {
        ["switchyard"] = typeof(SwitchyardClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?",
        [_postgres is null ? "sqlite" : "postgresql"] = _postgres?.Version ?? SqliteVersion(),
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
    };

    private static string SqliteVersion()
    {
        using var sqlite = new SqliteConnection("Data Source=:memory:");
        sqlite.Open();
        return sqlite.ServerVersion;
    }
}
