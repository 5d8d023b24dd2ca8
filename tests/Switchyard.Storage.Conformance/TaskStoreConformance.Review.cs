using Switchyard.Core.Model;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    private async Task<TaskRecord> InReviewAsync(string id, int maxRejections = 3, params string[] dependents)
    {
        await EnqueueAsync([Spec(id) with { Review = ReviewMode.Required, MaxRejections = maxRejections },
            .. dependents.Select(d => Spec(d) with { DependsOn = [id] })]);
        var claimed = await ClaimOneAsync();
        AssertApplied(await CompleteAsync(claimed), TaskState.Running, TaskTrigger.Complete, TaskState.Review);
        return await GetRequiredAsync(id);
    }

    [Fact]
    public async Task Accept_InReview_CompletesAndReleasesDependents()
    {
        await InReviewAsync("draft", 3, "publish");
        Assert.Equal(TaskState.Blocked, await StateOfAsync("publish"));

        var accepted = AssertApplied(await AcceptAsync("draft"), TaskState.Review, TaskTrigger.Accept, TaskState.Completed);

        Assert.Equal("publish", Assert.Single(accepted.Consequences).Task.Id);
        var stored = await GetRequiredAsync("draft");
        Assert.Equal("{\"ok\":true}", stored.Result?.Raw);
        Assert.NotNull(stored.ResultExpiresAt);
        Assert.Equal(("accepted", "reviewer"), ((await HistoryAsync("draft"))![^1].Event, (await HistoryAsync("draft"))![^1].Actor));
    }

    [Fact]
    public async Task Reject_UnderLimit_QueuedWithFeedbackAndFreshAttempts()
    {
        await InReviewAsync("essay");

        AssertApplied(await RejectAsync("essay", "cite your sources"), TaskState.Review, TaskTrigger.Reject, TaskState.Queued);

        var again = await ClaimOneAsync();
        Assert.Equal(("essay", 1, "cite your sources", 1), (again.Id, again.RejectionCount, again.Feedback, again.Attempt));
        Assert.Null(again.Result);
        var row = (await HistoryAsync("essay"))!.Single(h => h.Event == "rejected");
        Assert.Equal("cite your sources", row.Reason);
    }

    [Fact]
    public async Task Reject_AtMaxRejections_FailsEscalatedAndDependentsFollow()
    {
        await InReviewAsync("stubborn", 2, "next");
        AssertApplied(await RejectAsync("stubborn", "first"), TaskState.Review, TaskTrigger.Reject, TaskState.Queued);
        AssertApplied(await CompleteAsync(await ClaimOneAsync()), TaskState.Running, TaskTrigger.Complete, TaskState.Review);

        var failed = AssertApplied(await RejectAsync("stubborn", "second"), TaskState.Review, TaskTrigger.Reject, TaskState.Failed);

        Assert.Equal(ErrorCodes.ReviewRejected, failed.Task.Error?.Code);
        Assert.Equal(ErrorKind.UserActionable, failed.Task.Error?.Kind);
        Assert.Contains("\"escalated\":true", failed.Task.Error?.Details?.Raw, StringComparison.Ordinal);
        Assert.Equal(2, failed.Task.RejectionCount);
        Assert.Equal(TaskState.Failed, Assert.Single(failed.Consequences).Task.State);
        await AssertHistoryLegalAsync("stubborn");
    }

    [Fact]
    public async Task AcceptOrReject_NotInReview_IllegalTransition()
    {
        await EnqueueAsync(Spec("queued"));

        AssertRefused(await AcceptAsync("queued"), ErrorCodes.IllegalTransition);
        AssertRefused(await RejectAsync("queued"), ErrorCodes.IllegalTransition);
        AssertRefused(await AcceptAsync("nobody"), ErrorCodes.NotFound);
    }

    [Fact]
    public async Task ReviewClaim_LeasesWithoutMovingAndBindsOthers()
    {
        await InReviewAsync("held");

        var leased = Assert.Single(await ClaimReviewAsync("gatekeeper"));

        Assert.Equal(TaskState.Review, leased.State);
        Assert.Equal("gatekeeper", leased.ReviewLease?.WorkerId);
        Assert.Equal(leased.ReviewLease, (await GetRequiredAsync("held")).ReviewLease);
        Assert.Empty(await ClaimReviewAsync("someone-else"));
        AssertRefused(await AcceptAsync("held"), ErrorCodes.ReviewClaimed);
        AssertRefused(await RejectAsync("held", reviewToken: leased.ReviewLease!.Token + 1000), ErrorCodes.StaleLease);
        Assert.Equal(TaskState.Review, await StateOfAsync("held"));

        AssertApplied(await AcceptAsync("held", leased.ReviewLease.Token), TaskState.Review, TaskTrigger.Accept, TaskState.Completed);
    }

    [Fact]
    public async Task ReviewClaim_Force_AdminDecidesOverAnotherReviewer()
    {
        await InReviewAsync("contested");
        Assert.Single(await ClaimReviewAsync("gatekeeper"));

        AssertApplied(await RejectAsync("contested", "overruled", force: true), TaskState.Review, TaskTrigger.Reject, TaskState.Queued);
    }

    [Fact]
    public async Task ReviewClaim_LeaseLapses_OthersMayClaimAndOldTokenIsStale()
    {
        await InReviewAsync("slow-review");
        var first = Assert.Single(await ClaimReviewAsync("r1", leaseMs: 5_000));
        Time.Advance(TimeSpan.FromSeconds(6));

        AssertRefused(await AcceptAsync("slow-review", first.ReviewLease!.Token), ErrorCodes.StaleLease);
        var second = Assert.Single(await ClaimReviewAsync("r2"));

        Assert.True(second.ReviewLease!.Token > first.ReviewLease.Token);
        AssertApplied(await RejectAsync("slow-review", "redo", second.ReviewLease.Token), TaskState.Review, TaskTrigger.Reject, TaskState.Queued);
        Assert.Null((await GetRequiredAsync("slow-review")).ReviewLease);
    }

    [Fact]
    public async Task ReviewClaim_FiltersByTypeAndTakesOldestFirst()
    {
        await InReviewAsync("older");
        Time.Advance(TimeSpan.FromSeconds(1));
        await EnqueueAsync(Spec("newer", "other.type") with { Review = ReviewMode.Required });
        AssertApplied(await CompleteAsync(await ClaimOneAsync()), TaskState.Running, TaskTrigger.Complete, TaskState.Review);

        Assert.Equal("newer", Assert.Single(await ClaimReviewAsync("typed", types: ["other.type"])).Id);
        Assert.Equal("older", Assert.Single(await ClaimReviewAsync("any", maxTasks: 5)).Id);
    }
}
