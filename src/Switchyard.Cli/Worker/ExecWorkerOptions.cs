namespace Switchyard.Cli.Worker;

/// <summary>How an <see cref="ExecWorker"/> takes work and runs it; frozen once the worker starts.</summary>
internal sealed record ExecWorkerOptions
{
    public const int DefaultConcurrency = 1;
    public const long DefaultWaitMs = 20_000;
    public const long DefaultLeaseMs = 30_000;
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultKillGrace = TimeSpan.FromSeconds(5);

    /// <summary>Shell command run per task as <c>/bin/sh -c COMMAND</c>.</summary>
    public required string Command { get; init; }

    public required string WorkerId { get; init; }

    public IReadOnlyList<string> Queues { get; init; } = [];

    public IReadOnlyList<string> Groups { get; init; } = [];

    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Tasks run at once.</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>Lease length asked for on claim and every heartbeat; the server's default when unset.</summary>
    public long? LeaseMs { get; init; }

    /// <summary>How long one claim waits on the server for work.</summary>
    public long WaitMs { get; init; } = DefaultWaitMs;

    /// <summary>Stop claiming after this many tasks, then finish them and return.</summary>
    public int? MaxTasks { get; init; }

    /// <summary>Claim once (up to <see cref="Concurrency"/> tasks), run what came, and return.</summary>
    public bool Once { get; init; }

    /// <summary>After a stop request, how long running commands may go on before they are killed and reported failed.</summary>
    public TimeSpan Grace { get; init; } = DefaultGrace;

    /// <summary>Between SIGTERM and SIGKILL when a command must end.</summary>
    public TimeSpan KillGrace { get; init; } = DefaultKillGrace;

    /// <summary>Error kind reported when a command exits non-zero: retryable, fatal or user_actionable.</summary>
    public string FailKind { get; init; } = "retryable";

    public string Shell { get; init; } = "/bin/sh";

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Command))
        {
            throw new CliUsageException("--exec needs a command");
        }

        if (Concurrency < 1)
        {
            throw new CliUsageException("--concurrency must be at least 1");
        }

        if (MaxTasks is < 1)
        {
            throw new CliUsageException("--max-tasks must be at least 1");
        }

        if (LeaseMs is < 1 || WaitMs < 0 || Grace < TimeSpan.Zero)
        {
            throw new CliUsageException("--lease-ms must be positive, --wait-ms and --grace-seconds not negative");
        }
    }
}
