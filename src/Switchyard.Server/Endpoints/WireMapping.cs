using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Endpoints;

/// <summary>Between wire contracts and engine types; refuses wire values the engine has no meaning for.</summary>
public static class WireMapping
{
    public static TaskDto ToDto(this TaskRecord t) => new()
    {
        Id = t.Id,
        Type = t.Type,
        Queue = t.Queue,
        Group = t.Group,
        Priority = t.Priority,
        State = t.State.ToName(),
        Payload = t.Payload,
        Result = t.Result,
        Error = t.Error is { } e ? new TaskErrorDto(e.Code, e.Message, e.Kind.ToName(), e.Details) : null,
        Attempt = t.Attempt,
        MaxAttempts = t.MaxAttempts,
        Retry = new RetryDto(t.Retry.Kind == BackoffKind.Fixed ? "fixed" : "exponential", (long)t.Retry.BaseDelay.TotalMilliseconds,
            (long)t.Retry.MaxDelay.TotalMilliseconds, t.Retry.Multiplier, t.Retry.Jitter,
            t.Retry.NonRetryableCodes.Count == 0 ? null : t.Retry.NonRetryableCodes),
        TimeoutMs = t.TimeoutMs,
        DeadlineAt = t.DeadlineAt,
        LeaseMs = t.LeaseMs,
        RunAt = t.RunAt,
        ParentId = t.ParentId,
        DependsOn = t.DependsOn,
        OnDependencyFailure = t.OnDependencyFailure.ToName(),
        CorrelationId = t.CorrelationId,
        IdempotencyKey = t.IdempotencyKey,
        Review = t.Review == ReviewMode.Required ? "required" : "none",
        RejectionCount = t.RejectionCount,
        Feedback = t.Feedback,
        MaxRejections = t.MaxRejections,
        Escalated = t.State == TaskState.Failed && t.Error?.Code == ErrorCodes.ReviewRejected,
        ReviewLease = t.ReviewLease?.ToDto(),
        Progress = t.Progress is { } p ? new ProgressDto(p.Percent, p.Message, p.Data) : null,
        Labels = t.Labels,
        Scope = t.Scope,
        Lease = t is { State: TaskState.Running, Lease: { } l } ? l.ToDto() : null, // a lease ends with its attempt (the store keeps the last)
        CancelRequested = t.CancelRequested,
        CreatedAt = t.CreatedAt,
        UpdatedAt = t.UpdatedAt,
        StartedAt = t.StartedAt,
        FinishedAt = t.FinishedAt,
        ResultExpiresAt = t.ResultExpiresAt,
        ResultTtlMs = t.ResultTtlMs,
    };

    public static LeaseDto ToDto(this Lease lease) => new(lease.WorkerId, lease.Token, lease.ExpiresAt);

    public static HistoryEntryDto ToDto(this HistoryEntry h) =>
        new(h.At, h.Event, h.From?.ToName(), h.To.ToName(), h.Actor, h.Reason, h.Attempt);

    public static Outcome<SubmitTask> ToSpec(this SubmitTaskRequest? r, string prefix = "")
    {
        if (r is null)
        {
            return OperationError.Validation(prefix.Length > 0 ? prefix.TrimEnd('.') : "body", "a task object is required");
        }

        if (string.IsNullOrEmpty(r.Type))
        {
            return OperationError.Validation(prefix + "type", "is required");
        }

        var review = ToReview(r.Review, prefix + "review");
        if (!review.IsSuccess)
        {
            return review.Error;
        }

        DependencyFailurePolicy? onDependencyFailure = null;
        if (r.OnDependencyFailure is { } policyName)
        {
            if (!DependencyFailurePolicies.TryParse(policyName, out var policy))
            {
                return OperationError.Validation(prefix + "onDependencyFailure", $"must be 'fail', 'cancel' or 'ignore', not '{policyName}'");
            }

            onDependencyFailure = policy;
        }

        var retry = ToSpec(r.Retry, prefix);
        if (!retry.IsSuccess)
        {
            return retry.Error;
        }

        return new SubmitTask
        {
            Id = r.Id,
            Type = r.Type,
            Queue = r.Queue,
            Group = r.Group,
            Priority = r.Priority,
            Payload = r.Payload,
            MaxAttempts = r.MaxAttempts,
            Retry = retry.Value,
            TimeoutMs = r.TimeoutMs,
            LeaseMs = r.LeaseMs,
            RunAt = r.RunAt,
            DelayMs = r.DelayMs,
            IdempotencyKey = r.IdempotencyKey,
            Labels = r.Labels,
            CorrelationId = r.CorrelationId,
            ParentId = r.ParentId,
            DependsOn = r.DependsOn,
            OnDependencyFailure = onDependencyFailure,
            MaxRejections = r.MaxRejections,
            Review = review.Value,
            Scope = r.Scope,
            ResultTtlMs = r.ResultTtlMs,
        };
    }

    public static Outcome<TaskError> ToError(this TaskErrorDto? dto)
    {
        if (dto is null || string.IsNullOrWhiteSpace(dto.Message))
        {
            return OperationError.Validation("error.message", "is required: say what went wrong");
        }

        var kind = ErrorKind.Retryable;
        if (dto.Kind is not null && !ErrorKinds.TryParse(dto.Kind, out kind))
        {
            return OperationError.Validation("error.kind", $"must be retryable, fatal or user_actionable, not '{dto.Kind}'");
        }

        return new TaskError(string.IsNullOrEmpty(dto.Code) ? "worker_error" : dto.Code, dto.Message, kind, dto.Details);
    }

    public static TaskProgress? ToProgress(this ProgressDto? dto) =>
        dto is null ? null : new TaskProgress(dto.Percent, dto.Message, dto.Data);

    /// <summary>A review mode by its wire name; null stays null (the default applies).</summary>
    internal static Outcome<ReviewMode?> ToReview(string? name, string field) => name switch
    {
        null => Outcome<ReviewMode?>.Success(null),
        "none" => ReviewMode.None,
        "required" => ReviewMode.Required,
        _ => OperationError.Validation(field, $"must be 'none' or 'required', not '{name}'"),
    };

    internal static Outcome<RetrySpec?> ToSpec(RetryDto? r, string prefix)
    {
        if (r is null)
        {
            return Outcome<RetrySpec?>.Success(null);
        }

        BackoffKind? backoff = r.Backoff switch
        {
            null => null,
            "fixed" => BackoffKind.Fixed,
            "exponential" => BackoffKind.Exponential,
            _ => (BackoffKind)(-1),
        };
        if (backoff == (BackoffKind)(-1))
        {
            return OperationError.Validation(prefix + "retry.backoff", $"must be 'fixed' or 'exponential', not '{r.Backoff}'");
        }

        return new RetrySpec(backoff, r.BaseDelayMs, r.MaxDelayMs, r.Multiplier, r.Jitter) { NonRetryableCodes = r.NonRetryableCodes };
    }
}
