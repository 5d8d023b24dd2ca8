namespace Switchyard.Core.Queues;

/// <summary>
/// The stored controls of one queue. A queue nobody configured has <see cref="Default"/> settings: open, no limits,
/// every scope and group weighing 1.
/// </summary>
public sealed record QueueSettings
{
    public static readonly IReadOnlyDictionary<string, RateLimit> NoRates = new Dictionary<string, RateLimit>();
    public static readonly IReadOnlyDictionary<string, int> NoWeights = new Dictionary<string, int>();

    public required string Queue { get; init; }

    /// <summary>A paused queue hands out nothing (claims and pushes); submits are still accepted.</summary>
    public bool Paused { get; init; }

    /// <summary>Waiting tasks the queue may hold; overrides the configured limit. 0 = no limit; null = the configuration decides.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Most tasks of the queue running at once; null = no limit.</summary>
    public int? MaxRunning { get; init; }

    /// <summary>Tasks the queue may start per interval; null = no limit.</summary>
    public RateLimit? Rate { get; init; }

    /// <summary>Per group of the queue, tasks it may start per interval.</summary>
    public IReadOnlyDictionary<string, RateLimit> GroupRates { get; init; } = NoRates;

    /// <summary>Share of the queue each scope (tenant) gets when several wait; absent scopes weigh 1.</summary>
    public IReadOnlyDictionary<string, int> ScopeWeights { get; init; } = NoWeights;

    /// <summary>When not empty, groups take turns among a scope's tasks of equal priority by these weights (absent groups weigh 1).</summary>
    public IReadOnlyDictionary<string, int> GroupWeights { get; init; } = NoWeights;

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>True when the settings limit nothing and change no weight (the claim path can skip them).</summary>
    public bool IsOpen => !Paused && MaxRunning is null && Rate is null && GroupRates.Count == 0;

    public static QueueSettings Default(string queue) => new() { Queue = queue };

    /// <summary>The waiting tasks a queue may hold: its stored <paramref name="maxLength"/> (0 = none) when it has one, else <paramref name="configured"/>; null = no limit.</summary>
    public static int? LengthLimit(int? maxLength, int? configured) => maxLength is { } stored ? (stored > 0 ? stored : null) : configured;
}
