using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task Enqueue_SingleTask_StoredQueuedWithSubmitMove()
    {
        var result = await EnqueueAsync(Spec("a"));

        var enqueued = Assert.Single(result.Tasks);
        Assert.True(enqueued.Created);
        Assert.Equal("a", enqueued.Task.Id);
        var move = Assert.Single(result.Transitions);
        Assert.Equal((null, TaskTrigger.Submit, TaskState.Queued), (move.From, move.Trigger, move.Task.State));
        Assert.Equal(TaskState.Queued, await StateOfAsync("a"));
        Assert.Equal(1, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task Enqueue_EveryField_RoundTripsThroughTheStore()
    {
        var spec = Spec("full", "agent.run") with
        {
            Queue = "agents",
            Group = "model/llama:70b",
            Priority = -7,
            Payload = new JsonText("{\"prompt\":\"hello\",\"n\":[1,2,3]}"),
            MaxAttempts = 9,
            Retry = new RetrySpec(BackoffKind.Exponential, 250, 60_000, 1.5, 0.25) { NonRetryableCodes = ["bad_input", "quota"] },
            TimeoutMs = 120_000,
            LeaseMs = 5_000,
            DelayMs = 90_000,
            IdempotencyKey = "key-1",
            Labels = new Dictionary<string, string> { ["team"] = "core", ["env"] = "test" },
            CorrelationId = "corr-1",
            ParentId = "parent-1",
            Review = ReviewMode.Required,
            MaxRejections = 5,
            DependsOn = ["parent-1"],
            OnDependencyFailure = DependencyFailurePolicy.Cancel,
            Scope = "tenant-a",
        };
        await EnqueueAsync(Spec("parent-1"));
        var expected = Build(spec);

        await Bounded(Store.EnqueueAsync(new EnqueueRequest([expected], new Dictionary<string, int>(), Submitter), Ct));
        var stored = await GetRequiredAsync("full");

        Assert.Equal(TaskState.Blocked, stored.State);
        Assert.Equal(expected.Labels.OrderBy(l => l.Key), stored.Labels.OrderBy(l => l.Key));
        Assert.Equal(expected.DependsOn, stored.DependsOn);
        Assert.Equal(expected.Retry.NonRetryableCodes, stored.Retry.NonRetryableCodes);
        Assert.Equal(expected, stored with { Labels = expected.Labels, DependsOn = expected.DependsOn, Retry = expected.Retry });
        Assert.Equal(expected.Retry, stored.Retry with { NonRetryableCodes = expected.Retry.NonRetryableCodes });
    }

    [Fact]
    public async Task Enqueue_IdempotencyKeyOfExpiredTask_StoresANewTask()
    {
        await EnqueueAsync(Spec("old") with { IdempotencyKey = "reused" });
        var claimed = await ClaimOneAsync();
        Assert.True((await CompleteAsync(claimed)).IsSuccess);
        Time.Advance(TimeSpan.FromMilliseconds(ResultTtlMs + 1));

        var again = await EnqueueAsync(Spec("new") with { IdempotencyKey = "reused" });

        var only = Assert.Single(again.Tasks);
        Assert.True(only.Created);
        Assert.Equal("new", only.Task.Id);
        Assert.Null(await GetAsync("old"));
        Assert.Equal(1, await CountAsync(TaskState.Queued));
        Assert.Equal(0, await CountAsync(TaskState.Completed));
    }

    [Fact]
    public async Task Enqueue_Batch_AllStoredInRequestOrder()
    {
        var result = await EnqueueAsync(Spec("b1"), Spec("b2") with { Queue = "other" }, Spec("b3"));

        Assert.Equal(["b1", "b2", "b3"], result.Tasks.Select(t => t.Task.Id));
        Assert.All(result.Tasks, t => Assert.True(t.Created));
        Assert.Equal(3, result.Transitions.Count);
        Assert.Equal(2, await CountAsync(TaskState.Queued));
        Assert.Equal(1, await CountAsync(TaskState.Queued, "other"));
    }

    [Fact]
    public async Task Enqueue_IdempotencyKeyExists_ReturnsExistingTaskNotCreated()
    {
        await EnqueueAsync(Spec("first") with { IdempotencyKey = "same" });
        Time.Advance(TimeSpan.FromSeconds(1));

        var again = await EnqueueAsync(Spec("second") with { IdempotencyKey = "same", Priority = 5 });

        var only = Assert.Single(again.Tasks);
        Assert.False(only.Created);
        Assert.Equal("first", only.Task.Id);
        Assert.Empty(again.Transitions);
        Assert.Null(await GetAsync("second"));
        Assert.Equal(1, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task Enqueue_IdempotencyKeyTwiceInOneBatch_StoredOnce()
    {
        var result = await EnqueueAsync(
            Spec("k1") with { IdempotencyKey = "dup" },
            Spec("other"),
            Spec("k2") with { IdempotencyKey = "dup" });

        Assert.Equal([true, true, false], result.Tasks.Select(t => t.Created));
        Assert.Equal("k1", result.Tasks[2].Task.Id);
        Assert.Equal(2, result.Transitions.Count);
        Assert.Null(await GetAsync("k2"));
        Assert.Equal(2, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task Enqueue_SameIdempotencyKeyInOtherScope_StoredAgain()
    {
        await EnqueueAsync(Spec("s1") with { IdempotencyKey = "same", Scope = "tenant-a" });

        var result = await EnqueueAsync(Spec("s2") with { IdempotencyKey = "same", Scope = "tenant-b" });

        Assert.True(Assert.Single(result.Tasks).Created);
        Assert.NotNull(await GetAsync("s2"));
    }

    [Fact]
    public async Task Enqueue_DuplicateIdInBatch_RefusedAndNothingStored()
    {
        var outcome = await TryEnqueueAsync([Spec("x"), Spec("y"), Spec("x")]);

        AssertRefused(outcome, ErrorCodes.DuplicateId);
        Assert.Null(await GetAsync("x"));
        Assert.Null(await GetAsync("y"));
        Assert.Equal(0, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task Enqueue_ManyAtOnceOneWithATakenId_OnlyThatOneRefused()
    {
        await EnqueueAsync(Spec("taken"));

        // Submits made at the same moment may be stored together (the PostgreSQL store's group commit); a taken id
        // among them is still refused to its own caller alone, and every other submit is stored with its history.
        var submits = Enumerable.Range(0, 40)
            .Select(i => TryEnqueueAsync(i == 17 ? [Spec("fresh-17a"), Spec("taken")] : [Spec($"fresh-{i}")]))
            .ToArray();
        var outcomes = await Task.WhenAll(submits);

        for (var i = 0; i < outcomes.Length; i++)
        {
            if (i == 17)
            {
                AssertRefused(outcomes[i], ErrorCodes.DuplicateId);
                continue;
            }

            Assert.True(outcomes[i].IsSuccess, outcomes[i].Error?.Message);
            Assert.Equal($"fresh-{i}", Assert.Single(outcomes[i].Value!.Tasks).Task.Id);
            await AssertHistoryLegalAsync($"fresh-{i}");
        }

        Assert.Null(await GetAsync("fresh-17a"));
        Assert.Equal(40, await CountAsync(TaskState.Queued));
    }

    [Fact]
    public async Task Enqueue_IdAlreadyStored_RefusedAndNothingOfTheBatchStored()
    {
        await EnqueueAsync(Spec("taken"));

        var outcome = await TryEnqueueAsync([Spec("fresh-1"), Spec("taken"), Spec("fresh-2")]);

        AssertRefused(outcome, ErrorCodes.DuplicateId);
        Assert.Null(await GetAsync("fresh-1"));
        Assert.Null(await GetAsync("fresh-2"));
        Assert.Equal(1, await CountAsync(TaskState.Queued));
        Assert.Single(await ListAllAsync(new TaskQuery()));
        await AssertHistoryLegalAsync("taken");
    }

    [Fact]
    public async Task Enqueue_QueueFull_RefusedAndNothingStored()
    {
        var limits = new Dictionary<string, int> { ["small"] = 2 };
        Assert.True((await TryEnqueueAsync([Spec("s1") with { Queue = "small" }], limits)).IsSuccess);

        var outcome = await TryEnqueueAsync(
            [Spec("elsewhere") with { Queue = "big" }, Spec("s2") with { Queue = "small" }, Spec("s3") with { Queue = "small" }],
            limits);

        AssertRefused(outcome, ErrorCodes.QueueFull);
        Assert.Null(await GetAsync("elsewhere"));
        Assert.Null(await GetAsync("s2"));
        Assert.Null(await GetAsync("s3"));
        Assert.Equal(1, await CountAsync(TaskState.Queued, "small"));
        Assert.Equal(0, await CountAsync(TaskState.Queued, "big"));
    }

    [Fact]
    public async Task Enqueue_UpToTheLimit_Accepted()
    {
        var limits = new Dictionary<string, int> { [TaskDefaults.Queue] = 3 };

        var outcome = await TryEnqueueAsync([Spec("l1"), Spec("l2"), Spec("l3") with { DelayMs = 1_000 }], limits);

        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        AssertRefused(await TryEnqueueAsync([Spec("l4")], limits), ErrorCodes.QueueFull);
    }

    [Fact]
    public async Task Enqueue_StoredMaxLengthAlone_HoldsForSubmitsMadeTogether()
    {
        // No configured limit: only the stored one stops these (the PostgreSQL store's one-round-trip batch must see it).
        await UpdateQueueAsync("s", new QueueSettingsPatch { MaxLength = Patch<int?>.Set(3) });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(i => TryEnqueueAsync(i % 3 == 0 ? [Spec($"s{i}") with { Queue = "s" }, Spec($"o{i}") with { Queue = "open" }] : [Spec($"s{i}") with { Queue = "s" }])));

        Assert.Equal(3, outcomes.Count(o => o.IsSuccess));
        Assert.All(outcomes.Where(o => !o.IsSuccess), o => AssertRefused(o, ErrorCodes.QueueFull));
        Assert.Equal(3, await CountAsync(TaskState.Queued, "s"));
        Assert.Equal(outcomes.Where((o, i) => o.IsSuccess && i % 3 == 0).Count(), await CountAsync(TaskState.Queued, "open"));
    }

    [Fact]
    public async Task Enqueue_StoredMaxLength_ReplacesTheConfiguredLimitUnlessTheCallersIsFinal()
    {
        var configured = new Dictionary<string, int> { ["q"] = 1 };
        await UpdateQueueAsync("q", new QueueSettingsPatch { MaxLength = Patch<int?>.Set(2) });
        Assert.True((await TryEnqueueAsync([Spec("a") with { Queue = "q" }, Spec("b") with { Queue = "q" }], configured)).IsSuccess);
        AssertRefused(await TryEnqueueAsync([Spec("c") with { Queue = "q" }], configured), ErrorCodes.QueueFull);

        await UpdateQueueAsync("q", new QueueSettingsPatch { MaxLength = Patch<int?>.Set(0) }); // stored 0: no limit at all
        Assert.True((await TryEnqueueAsync([Spec("c") with { Queue = "q" }], configured)).IsSuccess);
        AssertRefused(await TryEnqueueAsync([Spec("d") with { Queue = "q" }], configured, final: true), ErrorCodes.QueueFull);

        await UpdateQueueAsync("q", new QueueSettingsPatch { MaxLength = Patch<int?>.Set(null) }); // none stored: the configured one
        AssertRefused(await TryEnqueueAsync([Spec("d") with { Queue = "q" }], configured), ErrorCodes.QueueFull);
        Assert.True((await TryEnqueueAsync([Spec("d") with { Queue = "q" }])).IsSuccess);
    }

    [Fact]
    public async Task Enqueue_QueueLimit_CountsOnlyWaitingTasks()
    {
        var limits = new Dictionary<string, int> { [TaskDefaults.Queue] = 1 };
        await EnqueueAsync(Spec("w1"));
        AssertRefused(await TryEnqueueAsync([Spec("w2")], limits), ErrorCodes.QueueFull);

        await ClaimOneAsync();

        Assert.True((await TryEnqueueAsync([Spec("w2")], limits)).IsSuccess);
    }

    [Fact]
    public async Task Enqueue_RunAtInFuture_NotClaimableUntilPromotedAfterItPasses()
    {
        await EnqueueAsync(Spec("later") with { DelayMs = 60_000 });
        Assert.Equal(TaskState.Scheduled, await StateOfAsync("later"));
        Assert.Equal(1, await CountAsync(TaskState.Scheduled));

        Assert.Empty(await ClaimAsync());
        Time.Advance(TimeSpan.FromMilliseconds(59_999));
        Assert.Empty(await PromoteScheduledAsync());
        Assert.Empty(await ClaimAsync());

        Time.Advance(TimeSpan.FromMilliseconds(1));
        var promoted = Assert.Single(await PromoteScheduledAsync());

        Assert.Equal((TaskState.Scheduled, TaskTrigger.Promote, TaskState.Queued), (promoted.From, promoted.Trigger, promoted.Task.State));
        Assert.Equal("later", (await ClaimOneAsync()).Id);
        await AssertHistoryLegalAsync("later");
    }

    [Fact]
    public async Task Enqueue_Submission_WritesOneHistoryRowWithActor()
    {
        await EnqueueAsync(Spec("h"));

        var row = Assert.Single((await HistoryAsync("h"))!);

        Assert.Equal(("submitted", null, TaskState.Queued, Submitter, 0), (row.Event, row.From, row.To, row.Actor, row.Attempt));
        Assert.Equal(Start, row.At);
    }
}
