using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Core.Tests;

public sealed class CheckLeaseTests
{
    private static readonly DateTimeOffset Now = TestTasks.T0.AddSeconds(5);

    [Fact]
    public void CheckLease_RunningWithRightToken_Allowed() =>
        Assert.Null(TaskMoves.CheckLease(TestTasks.Running(), TestTasks.LeaseToken, Now));

    [Fact]
    public void CheckLease_WrongToken_StaleLease() =>
        Assert.Equal(ErrorCodes.StaleLease, TaskMoves.CheckLease(TestTasks.Running(), TestTasks.LeaseToken + 1, Now)?.Code);

    [Fact]
    public void CheckLease_NoLease_StaleLease() =>
        Assert.Equal(ErrorCodes.StaleLease, TaskMoves.CheckLease(TestTasks.InState(TaskState.Queued), TestTasks.LeaseToken, Now)?.Code);

    [Fact]
    public void CheckLease_Stale_SaysWhatBecameOfTheLease()
    {
        var running = TestTasks.Running();

        Assert.EndsWith("it was claimed again since (this lease ran out or was handed back).",
            TaskMoves.CheckLease(running, TestTasks.LeaseToken - 1, Now)!.Message, StringComparison.Ordinal);
        Assert.EndsWith("this token was never its lease.", TaskMoves.CheckLease(running, TestTasks.LeaseToken + 1, Now)!.Message, StringComparison.Ordinal);
        Assert.EndsWith("the task is queued now, under no lease (this one ran out, or the task was finished or handed back).",
            TaskMoves.CheckLease(TestTasks.InState(TaskState.Queued), TestTasks.LeaseToken, Now)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckReview_StaleToken_SaysWhetherAnotherReviewerHoldsIt()
    {
        var review = TestTasks.InState(TaskState.Review);
        var held = review with { ReviewLease = new Lease("alice", 7, Now.AddMinutes(1)) };

        Assert.EndsWith("no review lease holds it now (that one ran out, or none was taken).",
            TaskMoves.CheckReview(review, 12_345, force: false, Now)!.Message, StringComparison.Ordinal);
        Assert.Contains("'alice' holds it under another review lease until",
            TaskMoves.CheckReview(held, 6, force: false, Now)!.Message, StringComparison.Ordinal);
        Assert.Null(TaskMoves.CheckReview(held, 7, force: false, Now));
    }

    [Fact]
    public void CheckLease_CancelledWithMatchingToken_TaskCancelled() =>
        Assert.Equal(ErrorCodes.TaskCancelled, TaskMoves.CheckLease(TestTasks.InState(TaskState.Cancelled), TestTasks.LeaseToken, Now)?.Code);

    [Fact]
    public void CheckLease_CancelledWithOtherToken_StaleLease() =>
        Assert.Equal(ErrorCodes.StaleLease, TaskMoves.CheckLease(TestTasks.InState(TaskState.Cancelled), 1, Now)?.Code);

    [Theory]
    [InlineData(TaskState.Completed)]
    [InlineData(TaskState.Review)]
    [InlineData(TaskState.Failed)]
    public void CheckLease_NoLongerRunningWithMatchingToken_StaleLease(TaskState state)
    {
        var task = TestTasks.InState(state) with { Lease = TestTasks.Running().Lease };

        Assert.Equal(ErrorCodes.StaleLease, TaskMoves.CheckLease(task, TestTasks.LeaseToken, Now)?.Code);
    }

    [Fact]
    public void CheckLease_LeaseExpired_LeaseExpired()
    {
        var task = TestTasks.Running();

        Assert.Equal(ErrorCodes.LeaseExpired, TaskMoves.CheckLease(task, TestTasks.LeaseToken, task.Lease!.ExpiresAt)?.Code);
        Assert.Equal(ErrorCodes.LeaseExpired, TaskMoves.CheckLease(task, TestTasks.LeaseToken, task.Lease.ExpiresAt.AddHours(1))?.Code);
        Assert.Null(TaskMoves.CheckLease(task, TestTasks.LeaseToken, task.Lease.ExpiresAt.AddMilliseconds(-1)));
    }

    [Fact]
    public void CheckLease_DeadlinePassed_LeaseExpired()
    {
        var task = TestTasks.Running() with { DeadlineAt = Now };

        Assert.Equal(ErrorCodes.LeaseExpired, TaskMoves.CheckLease(task, TestTasks.LeaseToken, Now)?.Code);
        Assert.Null(TaskMoves.CheckLease(task, TestTasks.LeaseToken, Now.AddMilliseconds(-1)));
    }
}
