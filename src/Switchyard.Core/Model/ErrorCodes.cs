namespace Switchyard.Core.Model;

/// <summary>Stable error codes shared by the engine and every surface (REST problem details carry them as <c>code</c>).</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string InvalidJson = "invalid_json";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnknownFilter = "unknown_filter";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string NotFound = "not_found";
    public const string DuplicateId = "duplicate_id";
    public const string QueueFull = "queue_full";
    public const string StaleLease = "stale_lease";
    public const string LeaseExpired = "lease_expired";
    public const string TaskCancelled = "task_cancelled";
    public const string IllegalTransition = "illegal_transition";
    public const string DependencyNotFound = "dependency_not_found";
    public const string DependencyCycle = "dependency_cycle";
    public const string DependencyFailed = "dependency_failed";
    public const string ReviewRejected = "review_rejected";
    public const string ReviewClaimed = "review_claimed";
    public const string Forbidden = "forbidden";
    public const string Unauthorized = "unauthorized";
    public const string Unavailable = "unavailable";
    public const string ShuttingDown = "shutting_down";
    public const string Internal = "internal_error";
}
