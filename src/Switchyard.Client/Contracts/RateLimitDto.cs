namespace Switchyard.Client.Contracts;

/// <summary>At most <c>tasks</c> tasks started per <c>intervalMs</c> (a token bucket: bursts up to <c>tasks</c>).</summary>
public sealed record RateLimitDto(int Tasks, long IntervalMs);
