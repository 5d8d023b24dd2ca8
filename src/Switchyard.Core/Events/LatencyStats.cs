namespace Switchyard.Core.Events;

/// <summary>Delivery latency so far: samples, and estimates (bucket upper edges) of the median and 99th percentile.</summary>
public sealed record LatencyStats(long Samples, double P50Ms, double P99Ms, double MaxMs);
