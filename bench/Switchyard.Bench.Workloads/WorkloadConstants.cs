using System.Text.Json.Serialization;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// The sizes of the five peer workloads. <see cref="Peers"/> holds the values every peer queue was measured with
/// (BullMQ, pg-boss, graphile-worker, Hangfire); other values make a quick try whose numbers are not comparable.
/// Serialised under the peers' own key names.
/// </summary>
public sealed record WorkloadConstants
{
    public static WorkloadConstants Peers { get; } = new();

    /// <summary>W1: single submits, one call at a time, one producer.</summary>
    [JsonPropertyName("W1_JOBS")]
    public int W1Jobs { get; init; } = 20_000;

    /// <summary>W1-bulk (and the untimed fill of W2): tasks per batch submit.</summary>
    [JsonPropertyName("BULK_CHUNK")]
    public int BulkChunk { get; init; } = 1_000;

    /// <summary>W2: drain of a pre-filled queue.</summary>
    [JsonPropertyName("W2_JOBS")]
    public int W2Jobs { get; init; } = 20_000;

    /// <summary>W3: tasks sent open-loop at <see cref="W3Rate"/>.</summary>
    [JsonPropertyName("W3_JOBS")]
    public int W3Jobs { get; init; } = 5_000;

    /// <summary>W3: tasks per second.</summary>
    [JsonPropertyName("W3_RATE")]
    public int W3Rate { get; init; } = 500;

    /// <summary>W4: concurrent submit-and-wait callers.</summary>
    [JsonPropertyName("W4_CALLERS")]
    public int W4Callers { get; init; } = 32;

    /// <summary>W4: stop after this many round trips ...</summary>
    [JsonPropertyName("W4_MAX_JOBS")]
    public int W4MaxJobs { get; init; } = 5_000;

    /// <summary>W4: ... or after this long, whichever comes first.</summary>
    [JsonPropertyName("W4_MAX_MS")]
    public int W4MaxMs { get; init; } = 20_000;

    /// <summary>W2: how often storage is asked how many tasks are done.</summary>
    [JsonPropertyName("COUNT_POLL_MS")]
    public int CountPollMs { get; init; } = 20;

    /// <summary>Hard bound of any single workload run.</summary>
    [JsonPropertyName("TIMEOUT_MS")]
    public int TimeoutMs { get; init; } = 120_000;

    [JsonIgnore]
    public TimeSpan Timeout => TimeSpan.FromMilliseconds(TimeoutMs);

    /// <summary>The same workloads with every job count set to <paramref name="jobs"/> (a quick try, not comparable with the peers).</summary>
    public WorkloadConstants WithJobs(int jobs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        return this with { W1Jobs = jobs, W2Jobs = jobs, W3Jobs = jobs, W4MaxJobs = jobs };
    }

    /// <summary>Whether these are the peers' values, so the numbers can stand beside theirs.</summary>
    [JsonIgnore]
    public bool ArePeers => this == Peers;
}
