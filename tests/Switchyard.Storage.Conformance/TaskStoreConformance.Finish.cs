using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task Complete_RightToken_CompletedWithResultAndExpiry()
    {
        await EnqueueAsync(Spec("done"));
        var claimed = await ClaimOneAsync();
        Time.Advance(TimeSpan.FromSeconds(4));

        var move = AssertApplied(await CompleteAsync("done", claimed.Lease!.Token, "{\"answer\":42}"),
            TaskState.Running, TaskTrigger.Complete, TaskState.Completed);

        var stored = await GetRequiredAsync("done");
        Assert.Equal(TaskState.Completed, stored.State);
        Assert.Equal("{\"answer\":42}", stored.Result?.Raw);
        Assert.Null(stored.Error);
        Assert.Equal(Time.GetUtcNow(), stored.FinishedAt);
        Assert.Equal(Time.GetUtcNow().AddMilliseconds(ResultTtlMs), stored.ResultExpiresAt);
        Assert.Equal(move.Task.ResultExpiresAt, stored.ResultExpiresAt);
        var row = (await HistoryAsync("done"))![^1];
        Assert.Equal(("completed", TaskState.Running, TaskState.Completed, Worker), (row.Event, row.From, row.To, row.Actor));
        Assert.Equal((0, 1), (await CountAsync(TaskState.Running), await CountAsync(TaskState.Completed)));
    }

    [Fact]
    public async Task Complete_ReviewRequired_HeldInReview()
    {
        await EnqueueAsync(Spec("gated") with { Review = ReviewMode.Required });
        var claimed = await ClaimOneAsync();

        AssertApplied(await CompleteAsync(claimed), TaskState.Running, TaskTrigger.Complete, TaskState.Review);

        var stored = await GetRequiredAsync("gated");
        Assert.Equal(TaskState.Review, stored.State);
        Assert.NotNull(stored.Result);
        Assert.Null(stored.ResultExpiresAt);
        Assert.Equal(1, await CountAsync(TaskState.Review));
    }

    [Fact]
    public async Task Complete_StaleToken_RefusedAndTaskUnchanged()
    {
        await EnqueueAsync(Spec("re") with { MaxAttempts = 3 });
        var first = await ClaimOneAsync();
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs));
        Assert.Single(await ExpireLeasesAsync());
        var second = await ClaimOneAsync("worker-2");
        var before = await GetRequiredAsync("re");

        AssertRefused(await CompleteAsync(first), ErrorCodes.StaleLease);

        var after = await GetRequiredAsync("re");
        Assert.Equal(before with { Labels = after.Labels }, after);
        Assert.Equal(second.Lease, after.Lease);
        AssertApplied(await CompleteAsync(second), TaskState.Running, TaskTrigger.Complete, TaskState.Completed);
    }

    [Fact]
    public async Task Complete_Twice_SecondRefused()
    {
        await EnqueueAsync(Spec("once"));
        var claimed = await ClaimOneAsync();
        AssertApplied(await CompleteAsync(claimed), TaskState.Running, TaskTrigger.Complete, TaskState.Completed);

        AssertRefused(await CompleteAsync(claimed.Id, claimed.Lease!.Token, "\"other\""), ErrorCodes.StaleLease);
        Assert.Equal("{\"ok\":true}", (await GetRequiredAsync("once")).Result?.Raw);
    }

    [Fact]
    public async Task Complete_UnknownTask_NotFound() =>
        AssertRefused(await CompleteAsync("nobody", 1), ErrorCodes.NotFound);

    [Fact]
    public async Task Fail_RetryableWithAttemptsLeft_QueuedAndNextClaimIsNextAttempt()
    {
        await EnqueueAsync(Spec("flaky") with { MaxAttempts = 3 });
        var first = await ClaimOneAsync();

        var move = AssertApplied(await FailAsync(first, RetryableError), TaskState.Running, TaskTrigger.Fail, TaskState.Queued);

        Assert.Equal(1, move.Task.Attempt);
        var stored = await GetRequiredAsync("flaky");
        Assert.Equal((TaskState.Queued, 1, RetryableError), (stored.State, stored.Attempt, stored.Error));
        Assert.Null(stored.Lease);
        var second = await ClaimOneAsync();
        Assert.Equal(2, second.Attempt);
        Assert.True(second.Lease!.Token > first.Lease!.Token);
        var row = (await HistoryAsync("flaky"))![^2];
        Assert.Equal(("failed", TaskState.Running, TaskState.Queued, Worker), (row.Event, row.From, row.To, row.Actor));
    }

    [Fact]
    public async Task Fail_RetryableWithBackoff_ScheduledUntilTheDelayPasses()
    {
        await EnqueueAsync(Spec("backoff") with { Retry = new RetrySpec(BackoffKind.Fixed, 5_000, 5_000, 1, 0) });
        var claimed = await ClaimOneAsync();

        var move = AssertApplied(await FailAsync(claimed, RetryableError), TaskState.Running, TaskTrigger.Fail, TaskState.Scheduled);

        Assert.Equal(Time.GetUtcNow().AddSeconds(5), move.Task.RunAt);
        Assert.Equal(move.Task.RunAt, (await GetRequiredAsync("backoff")).RunAt);
        Time.Advance(TimeSpan.FromMilliseconds(4_999));
        Assert.Empty(await PromoteScheduledAsync());
        Assert.Empty(await ClaimAsync());
        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(await PromoteScheduledAsync());
        Assert.Equal(2, (await ClaimOneAsync()).Attempt);
    }

    [Fact]
    public async Task Fail_RetryAfterGiven_ScheduledThen()
    {
        await EnqueueAsync(Spec("told"));
        var claimed = await ClaimOneAsync();

        var move = AssertApplied(await FailAsync(claimed, RetryableError, retryAfterMs: 12_000), TaskState.Running, TaskTrigger.Fail, TaskState.Scheduled);

        Assert.Equal(Time.GetUtcNow().AddSeconds(12), move.Task.RunAt);
    }

    [Fact]
    public async Task Fail_Fatal_FailedWithErrorAndExpiry()
    {
        await EnqueueAsync(Spec("fatal") with { MaxAttempts = 5 });
        var claimed = await ClaimOneAsync();

        AssertApplied(await FailAsync(claimed, FatalError), TaskState.Running, TaskTrigger.Fail, TaskState.Failed);

        var stored = await GetRequiredAsync("fatal");
        Assert.Equal((TaskState.Failed, FatalError, 1), (stored.State, stored.Error, stored.Attempt));
        Assert.Null(stored.Lease);
        Assert.Equal(Time.GetUtcNow().AddMilliseconds(ResultTtlMs), stored.ResultExpiresAt);
        Assert.Equal(1, await CountAsync(TaskState.Failed));
    }

    [Fact]
    public async Task Fail_AttemptsExhausted_Failed()
    {
        await EnqueueAsync(Spec("tired") with { MaxAttempts = 2 });
        AssertApplied(await FailAsync(await ClaimOneAsync(), RetryableError), TaskState.Running, TaskTrigger.Fail, TaskState.Queued);

        AssertApplied(await FailAsync(await ClaimOneAsync(), RetryableError), TaskState.Running, TaskTrigger.Fail, TaskState.Failed);

        var stored = await GetRequiredAsync("tired");
        Assert.Equal((TaskState.Failed, 2, RetryableError), (stored.State, stored.Attempt, stored.Error));
        Assert.Empty(await ClaimAsync());
        await AssertHistoryLegalAsync("tired");
    }

    [Fact]
    public async Task Fail_StaleToken_RefusedAndTaskUnchanged()
    {
        await EnqueueAsync(Spec("sf"));
        var claimed = await ClaimOneAsync();
        var before = await GetRequiredAsync("sf");

        AssertRefused(await FailAsync("sf", claimed.Lease!.Token - 1, FatalError), ErrorCodes.StaleLease);

        var after = await GetRequiredAsync("sf");
        Assert.Equal(before with { Labels = after.Labels }, after);
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("cancelled")]
    public async Task Retry_FinishedTask_QueuedWithAttemptZero(string how)
    {
        await EnqueueAsync(Spec("again") with { MaxAttempts = 1 });
        var claimed = await ClaimOneAsync();
        var finished = how == "failed" ? await FailAsync(claimed, FatalError) : await CancelAsync("again");
        Assert.True(finished.IsSuccess);

        var move = AssertApplied(await RetryAsync("again", "alice", "one more go"), finished.Value!.Task.State, TaskTrigger.Retry, TaskState.Queued);

        Assert.Equal(0, move.Task.Attempt);
        var stored = await GetRequiredAsync("again");
        Assert.Equal((TaskState.Queued, 0), (stored.State, stored.Attempt));
        Assert.Null(stored.Error);
        Assert.Null(stored.Result);
        Assert.Null(stored.ResultExpiresAt);
        Assert.Null(stored.Lease);
        var row = (await HistoryAsync("again"))![^1];
        Assert.Equal(("retried", TaskState.Queued, "alice", "one more go"), (row.Event, row.To, row.Actor, row.Reason));
        var reclaimed = await ClaimOneAsync();
        Assert.Equal(1, reclaimed.Attempt);
        AssertRefused(await CompleteAsync(claimed), ErrorCodes.StaleLease);
        AssertApplied(await CompleteAsync(reclaimed), TaskState.Running, TaskTrigger.Complete, TaskState.Completed);
    }

    [Fact]
    public async Task Retry_QueuedTask_IllegalTransition()
    {
        await EnqueueAsync(Spec("busy"));

        AssertRefused(await RetryAsync("busy"), ErrorCodes.IllegalTransition);
        Assert.Equal(TaskState.Queued, await StateOfAsync("busy"));
    }

    [Fact]
    public async Task Retry_RunningOrCompletedTask_IllegalTransition()
    {
        await EnqueueAsync(Spec("run"), Spec("done"));
        var claimed = await ClaimAsync(maxTasks: 2);
        AssertApplied(await CompleteAsync(claimed.Single(t => t.Id == "done")), TaskState.Running, TaskTrigger.Complete, TaskState.Completed);

        AssertRefused(await RetryAsync("run"), ErrorCodes.IllegalTransition);
        AssertRefused(await RetryAsync("done"), ErrorCodes.IllegalTransition);
        Assert.Equal(TaskState.Running, await StateOfAsync("run"));
        Assert.Equal(TaskState.Completed, await StateOfAsync("done"));
    }

    [Fact]
    public async Task Retry_UnknownTask_NotFound() => AssertRefused(await RetryAsync("nobody"), ErrorCodes.NotFound);

    [Fact]
    public async Task Retry_ResultExpired_NotFound()
    {
        await EnqueueAsync(Spec("old"));
        Assert.True((await FailAsync(await ClaimOneAsync(), FatalError)).IsSuccess);
        Time.Advance(TimeSpan.FromMilliseconds(ResultTtlMs));

        AssertRefused(await RetryAsync("old"), ErrorCodes.NotFound);
    }
}
