namespace Switchyard.Client.Contracts;

/// <summary>Retry backoff: <c>backoff</c> is fixed or exponential; absent fields take the defaults;
/// <c>nonRetryableCodes</c> lists error codes that fail the task at once.</summary>
public sealed record RetryDto(
    string? Backoff = null,
    long? BaseDelayMs = null,
    long? MaxDelayMs = null,
    double? Multiplier = null,
    double? Jitter = null,
    IReadOnlyList<string>? NonRetryableCodes = null);
