namespace Switchyard.Bench.Workloads;

/// <summary>What <see cref="PeerBench"/> runs and where it writes.</summary>
public sealed record PeerBenchOptions
{
    public const int DefaultRounds = 3;
    public const int MaxRounds = 100;
    public const int DefaultWorkerCapacity = 64;
    public const int DefaultWarmupTasks = 5_000;
    public const int MaxWarmupTasks = 10_000;
    public const string SqliteStore = "sqlite";
    public const string PostgresStore = "postgres";

    public static IReadOnlyList<string> DurabilityNames { get; } = ["fsync", "process"];

    public static IReadOnlyList<string> StoreNames { get; } = [SqliteStore, PostgresStore];

    /// <summary>How to run <c>switchyard</c> (the server and the bench worker are started with it).</summary>
    public required SwitchyardCommand Command { get; init; }

    /// <summary>Folder of the result files (one per store and durability), created when missing.</summary>
    public required string OutputDirectory { get; init; }

    public int Rounds { get; init; } = DefaultRounds;

    /// <summary>Server durabilities, each a row of its own: <c>fsync</c>, <c>process</c>.</summary>
    public IReadOnlyList<string> Durabilities { get; init; } = DurabilityNames;

    public IReadOnlyList<string> Workloads { get; init; } = WorkloadNames.All;

    /// <summary>The server's store: the embedded <c>sqlite</c> store, or <c>postgres</c> on <see cref="PostgresConnection"/>.</summary>
    public string Store { get; init; } = SqliteStore;

    /// <summary>
    /// The PostgreSQL database the <c>postgres</c> store's runs use (an Npgsql connection string); each run gets a fresh
    /// schema there, dropped after the run.
    /// </summary>
    public string? PostgresConnection { get; init; }

    public WorkloadConstants Constants { get; init; } = WorkloadConstants.Peers;

    /// <summary>Tasks the worker runs at once (its credits).</summary>
    public int WorkerCapacity { get; init; } = DefaultWorkerCapacity;

    /// <summary>Size of the untimed warm-up before each run (0: none); see <see cref="Warmup"/>.</summary>
    public int WarmupTasks { get; init; } = DefaultWarmupTasks;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot be run.</summary>
    public void Validate()
    {
        Require(Rounds is >= 1 and <= MaxRounds, $"rounds must be between 1 and {MaxRounds}");
        Require(Durabilities.Count > 0 && Durabilities.All(d => DurabilityNames.Contains(d)), $"durability must be {string.Join(", ", DurabilityNames)} or both");
        Require(Workloads.Count > 0 && Workloads.All(w => WorkloadNames.All.Contains(w)), $"workloads must be among {string.Join(", ", WorkloadNames.All)}");
        Require(StoreNames.Contains(Store), $"store must be {string.Join(" or ", StoreNames)}, not '{Store}'");
        Require(Store != PostgresStore || !string.IsNullOrWhiteSpace(PostgresConnection),
            "the postgres store needs a connection string (--postgres or SWITCHYARD_POSTGRES)");
        Require(WorkerCapacity is >= 1 and <= 10_000, "worker capacity must be between 1 and 10000");
        Require(WarmupTasks is >= 0 and <= MaxWarmupTasks, $"warm-up tasks must be between 0 and {MaxWarmupTasks}");
        Require(Constants.BulkChunk is >= 1 and <= 10_000, "the batch size must be between 1 and 10000");
        Require(Constants is { W1Jobs: > 0, W2Jobs: > 0, W3Jobs: > 0, W3Rate: > 0, W4Callers: > 0, W4MaxJobs: > 0, W4MaxMs: > 0, CountPollMs: > 0, TimeoutMs: > 0 },
            "every workload constant must be positive");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
