namespace Switchyard.Cli.Worker;

/// <summary>What <c>switchyard worker --handlers</c> runs: which built-in handlers, where it takes work from, how much at once.</summary>
internal sealed record PushWorkerSettings
{
    public required IReadOnlyList<string> Handlers { get; init; }

    public required string Name { get; init; }

    public IReadOnlyList<string> Queues { get; init; } = [];

    public IReadOnlyList<string> Groups { get; init; } = [];

    public IReadOnlyList<string> Types { get; init; } = [];

    public int Capacity { get; init; } = 1;

    public long? LeaseMs { get; init; }

    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(30);

    public string? LlmBaseUrl { get; init; }

    /// <summary>Folders the file handlers may use; none means <c>SWITCHYARD_FS_ROOTS</c>.</summary>
    public IReadOnlyList<string> FsRoots { get; init; } = [];

    public bool Verbose { get; init; }

    /// <summary>Put before every log line (a pool's children say who they are).</summary>
    public string LogPrefix { get; init; } = string.Empty;
}
