using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Engine;

/// <summary>
/// Pure functions that compute a task's next record for each trigger. Stores load the current
/// record, call one of these, and write the result only if the state is still the one they read.
/// Every function checks its move against <see cref="TaskTransitions"/>.
/// </summary>
public static class TaskMoves
{
    public static AppliedTransition Promote(TaskRecord task, DateTimeOffset now) =>
        Move(task, TaskTrigger.Promote, task with { State = TaskState.Queued, UpdatedAt = now });

    /// <summary>Every dependency is done: the task waits for its run time or joins the queue.</summary>
    public static AppliedTransition Release(TaskRecord task, DateTimeOffset now) =>
        Move(task, TaskTrigger.Release, task with { State = task.RunAt > now ? TaskState.Scheduled : TaskState.Queued, UpdatedAt = now });

    /// <summary>A dependency failed or was cancelled and the task's policy is fail or cancel.</summary>
    public static AppliedTransition DependencyFailed(TaskRecord task, TaskRecord dependency, long resultTtlMs, DateTimeOffset now)
    {
        var error = new TaskError(ErrorCodes.DependencyFailed,
            $"Dependency '{dependency.Id}' ended {dependency.State.ToName()}.", ErrorKind.Fatal);
        var state = task.OnDependencyFailure == DependencyFailurePolicy.Cancel ? TaskState.Cancelled : TaskState.Failed;
        return Move(task, TaskTrigger.DependencyFailed, Finished(task, state, now, resultTtlMs) with { Error = error });
    }

    /// <summary>A reviewer accepts the held result: the task completes and its dependents may run.</summary>
    public static AppliedTransition Accept(TaskRecord task, long resultTtlMs, DateTimeOffset now) =>
        Move(task, TaskTrigger.Accept, Finished(task, TaskState.Completed, now, resultTtlMs) with { ReviewLease = null });

    /// <summary>
    /// A reviewer rejects the held result: the task runs again with the feedback and a fresh attempt count and
    /// deadline, or fails marked escalated when this is rejection number <see cref="TaskRecord.MaxRejections"/>.
    /// </summary>
    public static AppliedTransition Reject(TaskRecord task, string feedback, long resultTtlMs, DateTimeOffset now)
    {
        var rejections = task.RejectionCount + 1;
        if (rejections >= task.MaxRejections)
        {
            var error = new TaskError(ErrorCodes.ReviewRejected,
                $"Rejected {rejections} times; escalated to a human. Last feedback: {feedback}", ErrorKind.UserActionable,
                new JsonText($"{{\"escalated\":true,\"rejections\":{rejections}}}"));
            return Move(task, TaskTrigger.Reject, Finished(task, TaskState.Failed, now, resultTtlMs) with
            {
                Error = error,
                RejectionCount = rejections,
                Feedback = feedback,
                ReviewLease = null,
            });
        }

        return Move(task, TaskTrigger.Reject, task with
        {
            State = TaskState.Queued,
            RejectionCount = rejections,
            Feedback = feedback,
            Attempt = 0,
            Result = null,
            Error = null,
            Lease = null,
            ReviewLease = null,
            Progress = null,
            DeadlineAt = task.TimeoutMs is { } ms ? now.AddMilliseconds(ms) : null,
            UpdatedAt = now,
        });
    }

    /// <summary>
    /// Why a reviewer carrying <paramref name="leaseToken"/> may not decide on <paramref name="task"/>, or null when it may:
    /// an unexpired review lease binds everyone but its holder, unless <paramref name="force"/> (admins only).
    /// </summary>
    public static OperationError? CheckReview(TaskRecord task, long? leaseToken, bool force, DateTimeOffset now)
    {
        if (task.State != TaskState.Review)
        {
            return new OperationError(ErrorCodes.IllegalTransition,
                $"Task '{task.Id}' is {task.State.ToName()}; only tasks in review can be accepted or rejected.");
        }

        var held = task.ReviewLease is { } lease && lease.ExpiresAt > now ? lease : null;
        if (leaseToken is { } token && held?.Token != token)
        {
            var why = held is null
                ? "no review lease holds it now (that one ran out, or none was taken)"
                : $"'{held.WorkerId}' holds it under another review lease until {held.ExpiresAt:O}";
            return new OperationError(ErrorCodes.StaleLease, $"Review lease {token} does not hold task '{task.Id}': {why}.");
        }

        if (held is not null && leaseToken is null && !force)
        {
            return new OperationError(ErrorCodes.ReviewClaimed,
                $"Task '{task.Id}' is claimed for review by '{held.WorkerId}' until {held.ExpiresAt:O}; send its lease token, or force as an admin.");
        }

        return null;
    }

    public static AppliedTransition Claim(TaskRecord task, string workerId, long fencingToken, long leaseMs, DateTimeOffset now) =>
        Move(task, TaskTrigger.Claim, task with
        {
            State = TaskState.Running,
            Attempt = task.Attempt + 1,
            Lease = new Lease(workerId, fencingToken, now.AddMilliseconds(leaseMs)) { LengthMs = leaseMs },
            StartedAt = now,
            UpdatedAt = now,
            Progress = null,
        });

    public static AppliedTransition Complete(TaskRecord task, JsonText result, long resultTtlMs, DateTimeOffset now)
    {
        if (task.Review == ReviewMode.Required)
        {
            return Move(task, TaskTrigger.Complete, task with { State = TaskState.Review, Result = result, Error = null, UpdatedAt = now });
        }

        return Move(task, TaskTrigger.Complete, Finished(task, TaskState.Completed, now, resultTtlMs) with { Result = result, Error = null });
    }

    public static AppliedTransition Fail(TaskRecord task, TaskError error, long? retryAfterMs, double jitterSample, long resultTtlMs, DateTimeOffset now) =>
        Retryable(task, TaskTrigger.Fail, error, retryAfterMs, jitterSample, resultTtlMs, now);

    public static AppliedTransition ExpireLease(TaskRecord task, double jitterSample, long resultTtlMs, DateTimeOffset now) =>
        Retryable(task, TaskTrigger.LeaseExpired, TaskError.LeaseExpired, null, jitterSample, resultTtlMs, now);

    public static AppliedTransition Timeout(TaskRecord task, long resultTtlMs, DateTimeOffset now) =>
        Move(task, TaskTrigger.Deadline, Finished(task, TaskState.Failed, now, resultTtlMs) with { Error = TaskError.Timeout, Lease = null });

    public static AppliedTransition Cancel(TaskRecord task, long resultTtlMs, DateTimeOffset now) =>
        Move(task, TaskTrigger.Cancel, Finished(task, TaskState.Cancelled, now, resultTtlMs) with { CancelRequested = true });

    /// <summary>
    /// A failed or cancelled task runs again, now: a run time it had is dropped. One with dependencies waits for them
    /// again (the store resolves it at once).
    /// </summary>
    public static AppliedTransition Retry(TaskRecord task, DateTimeOffset now) =>
        Move(task, TaskTrigger.Retry, task with
        {
            State = task.DependsOn.Count > 0 ? TaskState.Blocked : TaskState.Queued,
            Attempt = 0,
            Error = null,
            Result = null,
            Lease = null,
            ReviewLease = null,
            RunAt = null,
            CancelRequested = false,
            FinishedAt = null,
            ResultExpiresAt = null,
            Progress = null,
            DeadlineAt = task.TimeoutMs is { } ms ? now.AddMilliseconds(ms) : null,
            UpdatedAt = now,
        });

    /// <summary>Why <paramref name="trigger"/> may not apply to <paramref name="task"/> in its state, or null when it may.</summary>
    public static OperationError? CheckSource(TaskRecord task, TaskTrigger trigger) =>
        TaskTransitions.SourcesOf(trigger).Contains(task.State)
            ? null
            : new OperationError(ErrorCodes.IllegalTransition,
                $"Task '{task.Id}' is {task.State.ToName()}; '{trigger.ToEventName()}' applies only to " +
                $"{string.Join(", ", TaskTransitions.SourcesOf(trigger).Select(s => s.ToName()))} tasks.");

    /// <summary>Why a call carrying <paramref name="leaseToken"/> may not act on <paramref name="task"/>, or null when it may.</summary>
    public static OperationError? CheckLease(TaskRecord task, long leaseToken, DateTimeOffset now)
    {
        if (task.Lease is not { } lease || lease.Token != leaseToken)
        {
            var why = task.Lease switch
            {
                null => $"the task is {task.State.ToName()} now, under no lease (this one ran out, or the task was finished or handed back)",
                { Token: var current } when current > leaseToken => "it was claimed again since (this lease ran out or was handed back)",
                _ => "this token was never its lease",
            };
            return new OperationError(ErrorCodes.StaleLease, $"Lease token {leaseToken} does not hold task '{task.Id}': {why}.");
        }

        if (task.State == TaskState.Cancelled)
        {
            return new OperationError(ErrorCodes.TaskCancelled, $"Task '{task.Id}' was cancelled; stop working on it.");
        }

        if (task.State != TaskState.Running)
        {
            return new OperationError(ErrorCodes.StaleLease,
                $"Task '{task.Id}' is {task.State.ToName()}, no longer running under lease {leaseToken}.");
        }

        if (lease.ExpiresAt <= now)
        {
            return new OperationError(ErrorCodes.LeaseExpired,
                $"The lease on task '{task.Id}' expired at {lease.ExpiresAt:O}; the task will be retried or failed.");
        }

        if (task.DeadlineAt is { } deadline && deadline <= now)
        {
            return new OperationError(ErrorCodes.LeaseExpired,
                $"Task '{task.Id}' passed its deadline at {deadline:O}; late results are ignored.");
        }

        return null;
    }

    /// <summary>The lease length for a claim: the request's, else the task's, else the default.</summary>
    public static long LeaseLength(TaskRecord task, long? requestedMs, long defaultMs) =>
        requestedMs ?? task.LeaseMs ?? defaultMs;

    /// <summary>
    /// A heartbeat's lease: from now, for the length it asks, else the length the claim or the last heartbeat gave the
    /// lease (a pull worker that claimed for ten minutes keeps ten minutes), else the task's, else the default.
    /// </summary>
    public static Lease Renew(TaskRecord task, long? requestedMs, long defaultMs, DateTimeOffset now)
    {
        var lease = task.Lease ?? throw new InvalidOperationException($"Task '{task.Id}' holds no lease to renew.");
        var length = LeaseLength(task, requestedMs ?? lease.LengthMs, defaultMs);
        return lease with { ExpiresAt = now.AddMilliseconds(length), LengthMs = length };
    }

    private static AppliedTransition Retryable(
        TaskRecord task, TaskTrigger trigger, TaskError error, long? retryAfterMs, double jitterSample, long resultTtlMs, DateTimeOffset now)
    {
        var attemptsLeft = task.Attempt < task.MaxAttempts;
        if (error.Kind != ErrorKind.Retryable || !attemptsLeft || task.Retry.IsNonRetryable(error.Code))
        {
            return Move(task, trigger, Finished(task, TaskState.Failed, now, resultTtlMs) with { Error = error, Lease = null });
        }

        var delay = retryAfterMs is { } explicitMs
            ? TimeSpan.FromMilliseconds(Math.Clamp(explicitMs, 0, NewTasks.MaxDelayMs))
            : task.Retry.DelayAfter(Math.Max(1, task.Attempt), jitterSample);
        var next = task with { Error = error, Lease = null, Progress = null, UpdatedAt = now };
        next = delay > TimeSpan.Zero
            ? next with { State = TaskState.Scheduled, RunAt = now + delay }
            : next with { State = TaskState.Queued };
        return Move(task, trigger, next);
    }

    private static TaskRecord Finished(TaskRecord task, TaskState state, DateTimeOffset now, long resultTtlMs) =>
        task with
        {
            State = state,
            FinishedAt = now,
            UpdatedAt = now,
            ResultExpiresAt = now.AddMilliseconds(task.ResultTtlMs ?? resultTtlMs),
            ReviewLease = null,
        };

    private static AppliedTransition Move(TaskRecord from, TaskTrigger trigger, TaskRecord to)
    {
        TaskTransitions.EnsureAllowed(from.State, trigger, to.State);
        return new AppliedTransition(to, from.State, trigger);
    }
}
