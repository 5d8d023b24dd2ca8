namespace Switchyard.Client.Contracts;

/// <summary>Delivery latency since the server started: samples, median, 99th percentile and maximum, in milliseconds.</summary>
public sealed record LatencyDto(long Samples, double P50Ms, double P99Ms, double MaxMs);
