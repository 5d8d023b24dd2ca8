namespace Switchyard.Cli.Worker;

/// <summary>How <c>switchyard worker --min N --max M</c> sizes and supervises its worker processes.</summary>
internal sealed record PoolOptions
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultScaleDownAfter = TimeSpan.FromSeconds(30);

    /// <summary>A process that ran at least this long before it crashed restarts after the shortest delay.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    public required PoolScaleRule Rule { get; init; }

    /// <summary>Queues whose depth drives the pool (none: default).</summary>
    public IReadOnlyList<string> Queues { get; init; } = [];

    /// <summary>The task types its workers take (none: any); only those count as demand.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>The groups its workers serve besides <c>default</c>; tasks of other groups never reach them and do not count.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>
    /// What the children's names start with (<c>NAME-SLOT</c>): the pool's <c>--name</c>, else its host and process id. The
    /// pool finds its children's running tasks by these names, so two pools must not share one.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>The children are push workers (<c>--handlers</c>), known to the server by an id it gives them; else pull workers, whose id is their name.</summary>
    public bool Push { get; init; }

    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>On shutdown, how long children may take after SIGTERM before they are killed (their grace plus a margin).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>The name of the child in <paramref name="slot"/>.</summary>
    public string ChildName(int slot) => $"{Name}-{slot}";

    public void Validate()
    {
        if (Rule.Min < 0 || Rule.Max < 1 || Rule.Max < Rule.Min)
        {
            throw new CliUsageException("--min must be 0 or more, --max at least 1 and not below --min");
        }

        if (Rule.TasksPerWorker < 1 || Rule.ScaleDownAfter < TimeSpan.Zero)
        {
            throw new CliUsageException("--scale-per must be at least 1, --idle-seconds not negative");
        }
    }
}
