using System.CommandLine;
using Switchyard.Bench.Workloads;

namespace Switchyard.Cli.Commands;

/// <summary>The options of <c>switchyard bench</c>, read into <see cref="PeerBenchOptions"/>.</summary>
internal sealed class BenchOptionSet
{
    public Option<int> Rounds { get; } = new("--rounds", "-r")
    {
        Description = "Rounds; each runs every workload once per durability, interleaved",
        DefaultValueFactory = _ => PeerBenchOptions.DefaultRounds,
    };

    public Option<string> Durability { get; } = new("--durability")
    {
        Description = "Server durability to measure: fsync, process or both (a row each)",
        DefaultValueFactory = _ => "both",
    };

    public Option<string> Out { get; } = new("--out", "-o")
    {
        HelpName = "DIR",
        Description = "Folder for the result files (switchyard-<store>-<durability>.json)",
        DefaultValueFactory = _ => "bench-results",
    };

    public Option<string> Workloads { get; } = new("--workloads", "-w")
    {
        HelpName = "LIST",
        Description = $"Workloads to run, comma-separated ({string.Join(",", WorkloadNames.All)})",
        DefaultValueFactory = _ => string.Join(",", WorkloadNames.All),
    };

    public Option<string> Store { get; } = new("--store")
    {
        Description = $"The server's store: {PeerBenchOptions.SqliteStore} (embedded) or {PeerBenchOptions.PostgresStore} (needs --postgres; a fresh schema per run)",
        DefaultValueFactory = _ => PeerBenchOptions.SqliteStore,
    };

    public Option<string?> Postgres { get; } = new("--postgres")
    {
        HelpName = "CONNSTR",
        Description = "PostgreSQL connection string for --store postgres, e.g. 'Host=127.0.0.1;Port=5432;Username=postgres;Database=bench' " +
                      "(env SWITCHYARD_POSTGRES); every run creates and drops a schema of its own there",
    };

    public Option<int> Capacity { get; } = new("--capacity")
    {
        HelpName = "N",
        Description = "Tasks the bench worker runs at once (its credits)",
        DefaultValueFactory = _ => PeerBenchOptions.DefaultWorkerCapacity,
    };

    public Option<int> Warmup { get; } = new("--warmup")
    {
        HelpName = "N",
        Description = "Tasks of the untimed warm-up before each run (0: none)",
        DefaultValueFactory = _ => PeerBenchOptions.DefaultWarmupTasks,
    };

    public Option<int?> Jobs { get; } = new("--jobs")
    {
        HelpName = "N",
        Description = "Quick try: every workload's job count set to N (the results are then not comparable with the peers')",
    };

    public IEnumerable<Option> All => [Rounds, Durability, Out, Workloads, Store, Postgres, Capacity, Warmup, Jobs];

    public PeerBenchOptions Read(CliContext context, SwitchyardCommand command)
    {
        var durability = context.Get(Durability)?.Trim().ToLowerInvariant();
        IReadOnlyList<string> durabilities = durability switch
        {
            "both" => PeerBenchOptions.DurabilityNames,
            "fsync" or "process" => [durability],
            _ => throw new CliUsageException($"--durability takes fsync, process or both, not '{durability}'"),
        };
        if (context.Get(Jobs) is < 1)
        {
            throw new CliUsageException("--jobs must be at least 1");
        }

        try
        {
            var options = new PeerBenchOptions
            {
                Command = command,
                OutputDirectory = context.Get(Out) ?? "bench-results",
                Rounds = context.Get(Rounds),
                Durabilities = durabilities,
                Workloads = WorkloadNames.Parse(context.Get(Workloads) ?? string.Empty),
                Store = context.Get(Store)?.Trim().ToLowerInvariant() ?? PeerBenchOptions.SqliteStore,
                PostgresConnection = context.Get(Postgres) ?? context.Environment.GetVariable("SWITCHYARD_POSTGRES"),
                WorkerCapacity = context.Get(Capacity),
                WarmupTasks = context.Get(Warmup),
                Constants = context.Get(Jobs) is { } jobs ? WorkloadConstants.Peers.WithJobs(jobs) : WorkloadConstants.Peers,
            };
            options.Validate();
            return options;
        }
        catch (ArgumentException ex)
        {
            throw CliUsageException.From(ex);
        }
    }
}
