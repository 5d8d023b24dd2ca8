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

    public static AppliedTransition Claim(TaskRecord task, string workerId, long fencingToken, long leaseMs, DateTimeOffset now) =>
        Move(task, TaskTrigger.Claim, task with
        {
            State = TaskState.Running,
            Attempt = task.Attempt + 1,
            Lease = new Lease(workerId, fencingToken, now.AddMilliseconds(leaseMs)),
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

    public static AppliedTransition Retry(TaskRecord task, DateTimeOffset now) =>
        Move(task, TaskTrigger.Retry, task with
        {
            State = TaskState.Queued,
            Attempt = 0,
            Error = null,
            Result = null,
            Lease = null,
            CancelRequested = false,
            FinishedAt = null,
            ResultExpiresAt = null,
            Progress = null,
            DeadlineAt = task.TimeoutMs is { } ms ? now.AddMilliseconds(ms) : null,
            UpdatedAt = now,
        });

    /// <summary>Why a call carrying <paramref name="leaseToken"/> may not act on <paramref name="task"/>, or null when it may.</summary>
    public static OperationError? CheckLease(TaskRecord task, long leaseToken, DateTimeOffset now)
    {
        if (task.Lease is not { } lease || lease.Token != leaseToken)
        {
            return new OperationError(ErrorCodes.StaleLease,
                $"Lease token {leaseToken} does not hold task '{task.Id}': it was claimed again or never by this token.");
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

    /// <summary>The lease length for a claim or heartbeat: the request's, else the task's, else the default.</summary>
    public static long LeaseLength(TaskRecord task, long? requestedMs, long defaultMs) =>
        requestedMs ?? task.LeaseMs ?? defaultMs;

    private static AppliedTransition Retryable(
        TaskRecord task, TaskTrigger trigger, TaskError error, long? retryAfterMs, double jitterSample, long resultTtlMs, DateTimeOffset now)
    {
        var attemptsLeft = task.Attempt < task.MaxAttempts;
        if (error.Kind != ErrorKind.Retryable || !attemptsLeft)
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
        task with { State = state, FinishedAt = now, UpdatedAt = now, ResultExpiresAt = now.AddMilliseconds(task.ResultTtlMs ?? resultTtlMs) };

    private static AppliedTransition Move(TaskRecord from, TaskTrigger trigger, TaskRecord to)
    {
        TaskTransitions.EnsureAllowed(from.State, trigger, to.State);
        return new AppliedTransition(to, from.State, trigger);
    }
}
