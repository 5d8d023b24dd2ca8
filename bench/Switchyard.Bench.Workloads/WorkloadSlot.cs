using System.Text.Json.Nodes;

namespace Switchyard.Bench.Workloads;

/// <summary>One workload's runs (in round order) and their summary: median and [min–max] of each headline metric.</summary>
public sealed record WorkloadSlot(IReadOnlyList<WorkloadRun> Runs, JsonObject Summary);
