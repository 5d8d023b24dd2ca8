using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;

namespace Switchyard.Core.Tests;

public sealed class TaskMovesTests
{
    private const long Ttl = TestTasks.ResultTtlMs;

    private static readonly DateTimeOffset Now = TestTasks.T0.AddSeconds(5);

    private static readonly TaskError Retryable = new("flaky", "try again", ErrorKind.Retryable);

    private static readonly RetryPolicy FixedTwoSeconds = new(BackoffKind.Fixed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), 1, 0);

    [Fact]
    public void Claim_QueuedTask_IncrementsAttemptAndSetsLease()
    {
        var queued = TestTasks.InState(TaskState.Queued, attempt: 2) with { Progress = new TaskProgress(50, "half", null) };

        var move = TaskMoves.Claim(queued, "worker-9", 42, 30_000, Now);

        Assert.Equal(TaskState.Running, move.Task.State);
        Assert.Equal(queued.Attempt + 1, move.Task.Attempt);
        Assert.Equal(new Lease("worker-9", 42, Now.AddSeconds(30)) { LengthMs = 30_000 }, move.Task.Lease);
        Assert.Equal(Now, move.Task.StartedAt);
        Assert.Null(move.Task.Progress);
    }

    [Fact]
    public void Complete_NoReview_CompletedWithResultAndExpiry()
    {
        var running = TestTasks.Running() with { Error = Retryable };

        var move = TaskMoves.Complete(running, new JsonText("{\"answer\":42}"), Ttl, Now);

        Assert.Equal(TaskState.Completed, move.Task.State);
        Assert.Equal("{\"answer\":42}", move.Task.Result?.Raw);
        Assert.Null(move.Task.Error);
        Assert.Equal(Now, move.Task.FinishedAt);
        Assert.Equal(Now.AddMilliseconds(Ttl), move.Task.ResultExpiresAt);
    }

    [Fact]
    public void Complete_ReviewRequired_HeldInReviewWithoutExpiry()
    {
        var running = TestTasks.Running() with { Review = ReviewMode.Required };

        var move = TaskMoves.Complete(running, new JsonText("\"draft\""), Ttl, Now);

        Assert.Equal(TaskState.Review, move.Task.State);
        Assert.Equal("\"draft\"", move.Task.Result?.Raw);
        Assert.Null(move.Task.ResultExpiresAt);
        Assert.Null(move.Task.FinishedAt);
    }

    [Fact]
    public void Fail_RetryableNoDelay_QueuedWithErrorAndAttemptKept()
    {
        var running = TestTasks.Running(attempt: 1, maxAttempts: 3, retry: RetryPolicy.Immediate);

        var move = TaskMoves.Fail(running, Retryable, null, 0.5, Ttl, Now);

        Assert.Equal(TaskState.Queued, move.Task.State);
        Assert.Equal(1, move.Task.Attempt);
        Assert.Equal(Retryable, move.Task.Error);
        Assert.Null(move.Task.Lease);
        Assert.Null(move.Task.ResultExpiresAt);
    }

    [Fact]
    public void Fail_RetryableWithBackoff_ScheduledAtNowPlusDelay()
    {
        var running = TestTasks.Running(attempt: 2, maxAttempts: 3, retry: FixedTwoSeconds);

        var move = TaskMoves.Fail(running, Retryable, null, 0.5, Ttl, Now);

        Assert.Equal(TaskState.Scheduled, move.Task.State);
        Assert.Equal(Now.AddSeconds(2), move.Task.RunAt);
        Assert.Null(move.Task.Lease);
    }

    [Fact]
    public void Fail_ExplicitRetryAfter_OverridesPolicy()
    {
        var running = TestTasks.Running(retry: FixedTwoSeconds);

        var later = TaskMoves.Fail(running, Retryable, 7_000, 0.5, Ttl, Now);
        var now = TaskMoves.Fail(running, Retryable, 0, 0.5, Ttl, Now);
        var negative = TaskMoves.Fail(running, Retryable, -5, 0.5, Ttl, Now);

        Assert.Equal((TaskState.Scheduled, Now.AddSeconds(7)), (later.Task.State, later.Task.RunAt));
        Assert.Equal(TaskState.Queued, now.Task.State);
        Assert.Equal(TaskState.Queued, negative.Task.State);
    }

    [Theory]
    [InlineData(ErrorKind.Fatal)]
    [InlineData(ErrorKind.UserActionable)]
    public void Fail_NotRetryable_FailedWithErrorAndExpiry(ErrorKind kind)
    {
        var error = new TaskError("bad_input", "cannot do that", kind);

        var move = TaskMoves.Fail(TestTasks.Running(attempt: 1, maxAttempts: 5), error, null, 0.5, Ttl, Now);

        Assert.Equal(TaskState.Failed, move.Task.State);
        Assert.Equal(error, move.Task.Error);
        Assert.Null(move.Task.Lease);
        Assert.Equal(Now, move.Task.FinishedAt);
        Assert.Equal(Now.AddMilliseconds(Ttl), move.Task.ResultExpiresAt);
    }

    [Fact]
    public void Fail_RetryableAttemptsSpent_Failed()
    {
        var move = TaskMoves.Fail(TestTasks.Running(attempt: 3, maxAttempts: 3), Retryable, 0, 0.5, Ttl, Now);

        Assert.Equal(TaskState.Failed, move.Task.State);
        Assert.Equal(Retryable, move.Task.Error);
        Assert.Equal(Now.AddMilliseconds(Ttl), move.Task.ResultExpiresAt);
    }

    [Fact]
    public void ExpireLease_AttemptsLeft_QueuedWithLeaseExpiredError()
    {
        var move = TaskMoves.ExpireLease(TestTasks.Running(attempt: 1, maxAttempts: 2), 0.5, Ttl, Now);

        Assert.Equal(TaskState.Queued, move.Task.State);
        Assert.Equal(TaskTrigger.LeaseExpired, move.Trigger);
        Assert.Equal(ErrorCodes.LeaseExpired, move.Task.Error?.Code);
        Assert.Equal(1, move.Task.Attempt);
        Assert.Null(move.Task.Lease);
    }

    [Fact]
    public void ExpireLease_WithBackoff_ScheduledAtNowPlusDelay()
    {
        var move = TaskMoves.ExpireLease(TestTasks.Running(retry: FixedTwoSeconds), 0.5, Ttl, Now);

        Assert.Equal(TaskState.Scheduled, move.Task.State);
        Assert.Equal(Now.AddSeconds(2), move.Task.RunAt);
    }

    [Fact]
    public void ExpireLease_AttemptsSpent_FailedWithLeaseExpiredAndExpiry()
    {
        var move = TaskMoves.ExpireLease(TestTasks.Running(attempt: 2, maxAttempts: 2), 0.5, Ttl, Now);

        Assert.Equal(TaskState.Failed, move.Task.State);
        Assert.Equal(ErrorCodes.LeaseExpired, move.Task.Error?.Code);
        Assert.Equal(Now.AddMilliseconds(Ttl), move.Task.ResultExpiresAt);
        Assert.Null(move.Task.Lease);
    }

    [Theory]
    [InlineData(TaskState.Scheduled)]
    [InlineData(TaskState.Blocked)]
    [InlineData(TaskState.Queued)]
    [InlineData(TaskState.Running)]
    public void Timeout_LiveTask_FailedWithTaskTimeout(TaskState from)
    {
        var move = TaskMoves.Timeout(TestTasks.InState(from), Ttl, Now);

        Assert.Equal(TaskState.Failed, move.Task.State);
        Assert.Equal("Task timeout", move.Task.Error?.Message);
        Assert.Equal(ErrorKind.Fatal, move.Task.Error?.Kind);
        Assert.Null(move.Task.Lease);
        Assert.Equal(Now.AddMilliseconds(Ttl), move.Task.ResultExpiresAt);
    }

    [Theory]
    [InlineData(TaskState.Scheduled)]
    [InlineData(TaskState.Blocked)]
    [InlineData(TaskState.Queued)]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Review)]
    public void Cancel_LiveTask_CancelledAndFlagged(TaskState from)
    {
        var move = TaskMoves.Cancel(TestTasks.InState(from), Ttl, Now);

        Assert.Equal(TaskState.Cancelled, move.Task.State);
        Assert.True(move.Task.CancelRequested);
        Assert.Equal(Now, move.Task.FinishedAt);
        Assert.Equal(Now.AddMilliseconds(Ttl), move.Task.ResultExpiresAt);
    }

    [Theory]
    [InlineData(TaskState.Failed)]
    [InlineData(TaskState.Cancelled)]
    public void Retry_FinishedTask_QueuedWithFreshAttemptAndNothingLeftOver(TaskState from)
    {
        var finished = TestTasks.InState(from, attempt: 3) with
        {
            Result = new JsonText("1"),
            Error = Retryable,
            CancelRequested = true,
            Progress = new TaskProgress(10, null, null),
            TimeoutMs = 60_000,
            DeadlineAt = TestTasks.T0.AddMinutes(1),
        };

        var move = TaskMoves.Retry(finished, Now);

        Assert.Equal(TaskState.Queued, move.Task.State);
        Assert.Equal(0, move.Task.Attempt);
        Assert.Null(move.Task.Result);
        Assert.Null(move.Task.Error);
        Assert.Null(move.Task.Lease);
        Assert.Null(move.Task.Progress);
        Assert.Null(move.Task.FinishedAt);
        Assert.Null(move.Task.ResultExpiresAt);
        Assert.False(move.Task.CancelRequested);
        Assert.Equal(Now.AddMinutes(1), move.Task.DeadlineAt);
    }

    [Fact]
    public void Promote_ScheduledTask_Queued()
    {
        var move = TaskMoves.Promote(TestTasks.InState(TaskState.Scheduled), Now);

        Assert.Equal(TaskState.Queued, move.Task.State);
        Assert.Equal(TaskState.Scheduled, move.From);
    }

    [Theory]
    [InlineData(5_000L, 2_000L, 30_000L, 5_000L)]
    [InlineData(null, 2_000L, 30_000L, 2_000L)]
    [InlineData(null, null, 30_000L, 30_000L)]
    public void LeaseLength_SomeGiven_RequestThenTaskThenDefault(long? requested, long? taskLeaseMs, long defaultMs, long expected) =>
        Assert.Equal(expected, TaskMoves.LeaseLength(TestTasks.Running() with { LeaseMs = taskLeaseMs }, requested, defaultMs));
}
