using Switchyard.Core.Model;

namespace Switchyard.Storage.Conformance;

/// <summary>What a move leaves behind of the task's earlier rounds, and what its answer says of where the task is.</summary>
public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task ReviewLease_TaskCancelledInReview_LeaseGoneAndNextRoundOpenToAll()
    {
        await EnqueueAsync(Spec("draft") with { Review = ReviewMode.Required });
        AssertApplied(await CompleteAsync(await ClaimOneAsync()), TaskState.Running, TaskTrigger.Complete, TaskState.Review);
        var alice = Assert.Single(await ClaimReviewAsync("alice", leaseMs: 600_000)).ReviewLease!;

        AssertApplied(await CancelAsync("draft"), TaskState.Review, TaskTrigger.Cancel, TaskState.Cancelled);

        Assert.Null((await GetRequiredAsync("draft")).ReviewLease);
        Assert.Null(AssertApplied(await RetryAsync("draft"), TaskState.Cancelled, TaskTrigger.Retry, TaskState.Queued).Task.ReviewLease);
        AssertApplied(await CompleteAsync(await ClaimOneAsync()), TaskState.Running, TaskTrigger.Complete, TaskState.Review);
        AssertRefused(await AcceptAsync("draft", alice.Token), ErrorCodes.StaleLease);
        Assert.Equal("bob", Assert.Single(await ClaimReviewAsync("bob")).ReviewLease?.WorkerId);
    }

    [Fact]
    public async Task Retry_ScheduledTaskCancelled_RunsNowNotAtItsOldTime()
    {
        await EnqueueAsync(Spec("later") with { DelayMs = 60_000 }, Spec("dep"), Spec("later-child") with { DelayMs = 60_000, DependsOn = ["dep"] });
        await RunToEndAsync("dep");
        Assert.Equal(TaskState.Scheduled, await StateOfAsync("later-child"));
        Assert.True((await CancelAsync("later")).IsSuccess);
        Assert.True((await CancelAsync("later-child")).IsSuccess);

        var alone = AssertApplied(await RetryAsync("later"), TaskState.Cancelled, TaskTrigger.Retry, TaskState.Queued);
        var child = AssertApplied(await RetryAsync("later-child"), TaskState.Cancelled, TaskTrigger.Retry, TaskState.Blocked);

        Assert.Null(alone.Task.RunAt);
        Assert.Equal(TaskState.Queued, child.Latest.State);
        Assert.Equal(TaskState.Queued, await StateOfAsync("later-child"));
    }

    [Fact]
    public async Task Retry_DependentOfFailedTask_AnswerIsWhereTheDependenciesSentIt()
    {
        await EnqueueAsync(Spec("dep") with { MaxAttempts = 1 }, Spec("child") with { DependsOn = ["dep"] });
        await FailAsync(await ClaimOneAsync(), FatalError);

        var retried = AssertApplied(await RetryAsync("child"), TaskState.Failed, TaskTrigger.Retry, TaskState.Blocked);

        Assert.Equal((TaskState.Failed, ErrorCodes.DependencyFailed), (retried.Latest.State, retried.Latest.Error?.Code));
        Assert.Equal(TaskState.Failed, await StateOfAsync("child"));
    }

    [Fact]
    public async Task Enqueue_ChildOfAReplayedParentInTheBatch_RefusedAndNothingStored()
    {
        await EnqueueAsync(Spec("first-parent") with { IdempotencyKey = "parent-key" });

        var refused = await TryEnqueueAsync([Spec("parent") with { IdempotencyKey = "parent-key" }, Spec("kid") with { ParentId = "parent" }]);

        AssertRefused(refused, ErrorCodes.ValidationFailed);
        Assert.Equal(
            "Task 'kid' names parent 'parent', a task of this batch whose idempotency key replayed task 'first-parent' " +
            "(so no task 'parent' was stored): name 'first-parent'; nothing was stored.",
            refused.Error!.Message);
        Assert.Null(await GetAsync("kid"));
    }

    [Fact]
    public async Task Enqueue_DependentOfAReplayedTaskInTheBatch_RefusedNamingTheTaskItReplayed()
    {
        await EnqueueAsync(Spec("first") with { IdempotencyKey = "dep-key" });

        var refused = await TryEnqueueAsync([Spec("again") with { IdempotencyKey = "dep-key" }, Spec("after") with { DependsOn = ["again"] }]);

        AssertRefused(refused, ErrorCodes.DependencyNotFound);
        Assert.Equal(
            "Task 'after' depends on 'again', a task of this batch whose idempotency key replayed task 'first' " +
            "(so no task 'again' was stored): name 'first'; nothing was stored.",
            refused.Error!.Message);
        Assert.Null(await GetAsync("after"));
    }
}
