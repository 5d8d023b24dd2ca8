using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>
/// The lease holder reports an error. A retryable error with attempts left goes back to the queue
/// (after <see cref="RetryAfterMs"/> or the task's backoff); otherwise the task fails.
/// </summary>
/// <param name="JitterSample">A uniform sample in [0, 1) for the backoff's jitter.</param>
public sealed record FailRequest(
    string TaskId,
    long LeaseToken,
    TaskError Error,
    long? RetryAfterMs,
    double JitterSample,
    long ResultTtlMs,
    string? Actor);
