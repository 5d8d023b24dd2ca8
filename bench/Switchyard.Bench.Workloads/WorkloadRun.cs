namespace Switchyard.Bench.Workloads;

/// <summary>
/// The measurements of one run of one workload, in the peers' field names; fields a workload does not report stay
/// null and are left out of the JSON. A run that failed carries only <see cref="Error"/>.
/// </summary>
public sealed record WorkloadRun
{
    public int? Jobs { get; init; }
    public int? Chunk { get; init; }
    public int? Callers { get; init; }
    public int? Completed { get; init; }
    public double? Seconds { get; init; }
    public double? Rate { get; init; }
    public int? TargetRate { get; init; }
    public double? AchievedRate { get; init; }
    public double? MaxSendLagMs { get; init; }
    public int? WrongResults { get; init; }
    public LatencySummary? LatencyMs { get; init; }
    public string? Error { get; init; }

    /// <summary>W1, W1-bulk (with <paramref name="chunk"/>) and W2: <paramref name="jobs"/> in <paramref name="elapsed"/>.</summary>
    public static WorkloadRun Throughput(int jobs, TimeSpan elapsed, int? chunk = null) => new()
    {
        Jobs = jobs,
        Chunk = chunk,
        Seconds = elapsed.TotalSeconds,
        Rate = jobs / elapsed.TotalSeconds,
    };

    public static WorkloadRun Failed(string error) => new() { Error = error };
}
