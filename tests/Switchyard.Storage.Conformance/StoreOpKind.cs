namespace Switchyard.Storage.Conformance;

/// <summary>What one step of a random run does to the store.</summary>
public enum StoreOpKind
{
    Enqueue,
    Claim,
    Complete,
    FailRetryable,
    FailFatal,
    Heartbeat,
    Cancel,
    Retry,
    AdvanceClock,
    ExpireLeases,
    PromoteScheduled,
    FailOverdue,
    Restart,
    Accept,
    Reject,
    ClaimReview,
}
