namespace Switchyard.Bench.Workloads;

/// <summary>One metric over the repeated runs of a workload: median and the [min–max] range.</summary>
public sealed record Spread(double Median, double Min, double Max);
