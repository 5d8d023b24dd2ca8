using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task DependsOn_OpenDependency_BlockedUntilItCompletes()
    {
        await EnqueueAsync(Spec("first"));
        var after = await EnqueueOneAsync(Spec("second") with { DependsOn = ["first"] });

        Assert.Equal(TaskState.Blocked, after.State);
        Assert.Equal(["first"], after.DependsOn);
        var claimed = await ClaimOneAsync();
        Assert.Equal("first", claimed.Id);
        Assert.Empty(await ClaimAsync());

        var done = await CompleteAsync(claimed);

        var released = Assert.Single(done.Value!.Consequences);
        Assert.Equal(("second", TaskState.Blocked, TaskTrigger.Release, TaskState.Queued),
            (released.Task.Id, released.From, released.Trigger, released.Task.State));
        Assert.Equal("second", (await ClaimOneAsync()).Id);
        await AssertHistoryLegalAsync("second");
        Assert.Equal(0, await CountAsync(TaskState.Blocked));
    }

    [Fact]
    public async Task DependsOn_FanIn_ReleasedOnlyWhenEveryDependencyCompleted()
    {
        await EnqueueAsync(Spec("a"), Spec("b"), Spec("join") with { DependsOn = ["a", "b"] });

        var a = await RunToEndAsync("a");
        Assert.Empty(a.Consequences);
        Assert.Equal(TaskState.Blocked, await StateOfAsync("join"));

        var b = await RunToEndAsync("b");
        Assert.Equal("join", Assert.Single(b.Consequences).Task.Id);
        Assert.Equal(TaskState.Queued, await StateOfAsync("join"));
    }

    [Fact]
    public async Task DependsOn_AlreadyCompleted_QueuedAtSubmit()
    {
        await EnqueueAsync(Spec("done"));
        await RunToEndAsync("done");

        var result = await EnqueueAsync(Spec("later") with { DependsOn = ["done"] });

        Assert.Equal(TaskState.Queued, Assert.Single(result.Tasks).Task.State);
        Assert.Equal(
            [(TaskTrigger.Submit, TaskState.Blocked), (TaskTrigger.Release, TaskState.Queued)],
            result.Transitions.Select(t => (t.Trigger, t.Task.State)));
        await AssertHistoryLegalAsync("later");
    }

    [Fact]
    public async Task DependsOn_ReleasedWithFutureRunAt_Scheduled()
    {
        await EnqueueAsync(Spec("first"), Spec("delayed") with { DependsOn = ["first"], DelayMs = 60_000 });

        var done = await RunToEndAsync("first");

        Assert.Equal(TaskState.Scheduled, Assert.Single(done.Consequences).Task.State);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("delayed", Assert.Single(await PromoteScheduledAsync()).Task.Id);
    }

    [Fact]
    public async Task DependsOn_Unknown_WholeBatchRefused()
    {
        var outcome = await TryEnqueueAsync([Spec("ok"), Spec("orphan") with { DependsOn = ["ghost"] }]);

        AssertRefused(outcome, ErrorCodes.DependencyNotFound);
        Assert.Contains("ghost", outcome.Error!.Message, StringComparison.Ordinal);
        Assert.Null(await GetAsync("ok"));
        Assert.Null(await GetAsync("orphan"));
        Assert.Null(await StatsOfAsync());
    }

    [Fact]
    public async Task DependsOn_TaskOfARefusedBatch_RefusedAsUnknown()
    {
        // The batch's first task was written before the second was refused: nothing of it may remain, in the rows or in
        // what the store keeps in memory.
        AssertRefused(await TryEnqueueAsync([Spec("ok"), Spec("orphan") with { DependsOn = ["ghost"] }]), ErrorCodes.DependencyNotFound);

        AssertRefused(await TryEnqueueAsync([Spec("after") with { DependsOn = ["ok"] }]), ErrorCodes.DependencyNotFound);
        Assert.Equal(TaskState.Queued, (await EnqueueOneAsync(Spec("ok"))).State);
        Assert.Equal("ok", (await ClaimOneAsync()).Id);
    }

    [Fact]
    public async Task DependsOn_BatchDagByClientIds_RunsInDependencyOrder()
    {
        // root -> (left, right) -> join, all in one call, in an order that lists dependents first.
        await EnqueueAsync(
            Spec("join") with { DependsOn = ["left", "right"] },
            Spec("left") with { DependsOn = ["root"] },
            Spec("right") with { DependsOn = ["root"] },
            Spec("root"));

        var order = new List<string>();
        for (var claimed = await ClaimAsync(4); claimed.Count > 0; claimed = await ClaimAsync(4))
        {
            foreach (var task in claimed)
            {
                order.Add(task.Id);
                Assert.True((await CompleteAsync(task)).IsSuccess);
            }
        }

        Assert.Equal("root", order[0]);
        Assert.Equal(["left", "right"], order[1..3].Order(StringComparer.Ordinal));
        Assert.Equal("join", order[3]);
    }

    [Theory]
    [InlineData(DependencyFailurePolicy.Fail, TaskState.Failed)]
    [InlineData(DependencyFailurePolicy.Cancel, TaskState.Cancelled)]
    public async Task DependencyFails_PolicyFailOrCancel_DependentsEndTransitively(DependencyFailurePolicy policy, TaskState expected)
    {
        await EnqueueAsync(
            Spec("base") with { MaxAttempts = 1 },
            Spec("mid") with { DependsOn = ["base"], OnDependencyFailure = policy },
            Spec("top") with { DependsOn = ["mid"], OnDependencyFailure = policy });
        var claimed = await ClaimOneAsync();

        var failed = await FailAsync(claimed, FatalError);

        var mid = Assert.Single(failed.Value!.Consequences);
        Assert.Equal(("mid", TaskTrigger.DependencyFailed, expected), (mid.Task.Id, mid.Trigger, mid.Task.State));
        var top = Assert.Single(mid.Consequences);
        Assert.Equal(("top", expected), (top.Task.Id, top.Task.State));
        var stored = await GetRequiredAsync("mid");
        Assert.Equal(ErrorCodes.DependencyFailed, stored.Error?.Code);
        Assert.Contains("base", stored.Error!.Message, StringComparison.Ordinal);
        Assert.NotNull(stored.ResultExpiresAt);
        await AssertHistoryLegalAsync("top");
        Assert.Equal(0, await CountAsync(TaskState.Blocked));
    }

    [Fact]
    public async Task DependencyCancelled_PolicyIgnore_DependentRunsWhenTheRestComplete()
    {
        await EnqueueAsync(Spec("a"), Spec("b"), Spec("tolerant") with { DependsOn = ["a", "b"], OnDependencyFailure = DependencyFailurePolicy.Ignore });

        var cancelled = AssertApplied(await CancelAsync("b"), TaskState.Queued, TaskTrigger.Cancel, TaskState.Cancelled);
        Assert.Empty(cancelled.Consequences);
        Assert.Equal(TaskState.Blocked, await StateOfAsync("tolerant"));

        var a = await RunToEndAsync("a");

        Assert.Equal("tolerant", Assert.Single(a.Consequences).Task.Id);
        Assert.Equal(TaskState.Queued, await StateOfAsync("tolerant"));
    }

    [Fact]
    public async Task DependsOn_AlreadyFailed_DependentFailsAtSubmit()
    {
        await EnqueueAsync(Spec("gone"));
        await CancelAsync("gone");

        var result = await EnqueueAsync(Spec("doomed") with { DependsOn = ["gone"] });

        Assert.Equal(TaskState.Failed, Assert.Single(result.Tasks).Task.State);
        Assert.Equal(ErrorCodes.DependencyFailed, (await GetRequiredAsync("doomed")).Error?.Code);
        await AssertHistoryLegalAsync("doomed");
    }

    [Fact]
    public async Task BlockedTask_DeadlinePasses_FailsAndItsDependentsFollow()
    {
        await EnqueueAsync(
            Spec("slow"),
            Spec("waiting") with { DependsOn = ["slow"], TimeoutMs = 10_000 },
            Spec("after") with { DependsOn = ["waiting"] });
        Time.Advance(TimeSpan.FromSeconds(11));

        var moved = await FailOverdueAsync();

        var timedOut = Assert.Single(moved);
        Assert.Equal(("waiting", TaskState.Blocked, TaskState.Failed), (timedOut.Task.Id, timedOut.From, timedOut.Task.State));
        Assert.Equal("after", Assert.Single(timedOut.Consequences).Task.Id);
        Assert.Equal(TaskState.Failed, await StateOfAsync("after"));
    }

    [Fact]
    public async Task Flow_ParentInSameBatch_WaitsForChildrenAndReadsTheirResults()
    {
        await EnqueueAsync(
            Spec("report") with { CorrelationId = "job-7" },
            Spec("part-1") with { ParentId = "report" },
            Spec("part-2") with { ParentId = "report", CorrelationId = "own" });

        var parent = await GetRequiredAsync("report");
        Assert.Equal(TaskState.Blocked, parent.State);
        Assert.Equal(["part-1", "part-2"], parent.DependsOn);
        Assert.Equal("job-7", (await GetRequiredAsync("part-1")).CorrelationId);
        Assert.Equal("own", (await GetRequiredAsync("part-2")).CorrelationId);

        foreach (var child in await ClaimAsync(2))
        {
            Assert.True((await CompleteAsync(child.Id, child.Lease!.Token, $"{{\"from\":\"{child.Id}\"}}")).IsSuccess);
        }

        Assert.Equal("report", (await ClaimOneAsync()).Id);
        var results = await RelatedAsync("report", TaskRelation.Dependencies);
        Assert.NotNull(results);
        Assert.Equal(["{\"from\":\"part-1\"}", "{\"from\":\"part-2\"}"], results.Select(r => r.Result?.Raw).Order(StringComparer.Ordinal));
        var children = await ListAllAsync(new TaskQuery { ParentId = "report" });
        Assert.Equal(["part-1", "part-2"], children.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["report"], (await RelatedAsync("part-1", TaskRelation.Dependents))!.Select(t => t.Id));
    }

    [Fact]
    public async Task Flow_StoredParent_ChildInheritsCorrelationWithoutBlockingIt()
    {
        await EnqueueAsync(Spec("parent"));
        var running = await ClaimOneAsync();

        var child = await EnqueueOneAsync(Spec("child") with { ParentId = "parent" });

        Assert.Equal(TaskState.Queued, child.State);
        Assert.Equal("parent", child.CorrelationId);
        Assert.True((await CompleteAsync(running)).IsSuccess);
    }

    [Fact]
    public async Task Flow_UnknownParent_Refused()
    {
        var outcome = await TryEnqueueAsync([Spec("lost") with { ParentId = "nobody" }]);

        AssertRefused(outcome, ErrorCodes.ValidationFailed);
        Assert.Null(await GetAsync("lost"));
    }

    [Fact]
    public async Task Related_UnknownTask_Null()
    {
        Assert.Null(await RelatedAsync("nobody", TaskRelation.Dependencies));
        await EnqueueAsync(Spec("alone"));
        Assert.Empty((await RelatedAsync("alone", TaskRelation.Dependents))!);
    }

    [Fact]
    public async Task DependsOn_SurvivesRestart()
    {
        await EnqueueAsync(Spec("first"), Spec("second") with { DependsOn = ["first"] });

        await Sut.RestartAsync(Ct).WaitAsync(Bound, Ct);

        Assert.Equal(TaskState.Blocked, await StateOfAsync("second"));
        var done = await RunToEndAsync("first");
        Assert.Equal("second", Assert.Single(done.Consequences).Task.Id);
        Assert.Equal(["first"], (await GetRequiredAsync("second")).DependsOn);
    }

    [Fact]
    public async Task Fail_NonRetryableCode_FailsAtOnceDespiteAttemptsLeft()
    {
        await EnqueueAsync(Spec("picky") with { MaxAttempts = 5, Retry = NoBackoff with { NonRetryableCodes = ["flaky"] } });
        var claimed = await ClaimOneAsync();

        AssertApplied(await FailAsync(claimed, RetryableError), TaskState.Running, TaskTrigger.Fail, TaskState.Failed);

        Assert.Equal(["flaky"], (await GetRequiredAsync("picky")).Retry.NonRetryableCodes);
    }

    [Fact]
    public async Task Retry_DependentWhoseDependencyIsOpenAgain_WaitsForItAgain()
    {
        await EnqueueAsync(Spec("dep") with { MaxAttempts = 1 }, Spec("child") with { DependsOn = ["dep"] });
        await FailAsync(await ClaimOneAsync(), FatalError);
        Assert.Equal(TaskState.Failed, await StateOfAsync("child"));
        AssertApplied(await RetryAsync("dep"), TaskState.Failed, TaskTrigger.Retry, TaskState.Queued);

        var retried = AssertApplied(await RetryAsync("child"), TaskState.Failed, TaskTrigger.Retry, TaskState.Blocked);

        Assert.Empty(retried.Consequences);
        await RunToEndAsync("dep");
        Assert.Equal(TaskState.Queued, await StateOfAsync("child"));
        await AssertHistoryLegalAsync("child");
    }
}
