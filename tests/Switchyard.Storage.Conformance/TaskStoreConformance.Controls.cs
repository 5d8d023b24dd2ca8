using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;
using Switchyard.Core.Types;

namespace Switchyard.Storage.Conformance;

/// <summary>The control side: task types and queue settings, stored and read back, across restarts.</summary>
public abstract partial class TaskStoreConformance
{
    protected IControlStore Controls =>
        Store as IControlStore ?? throw new InvalidOperationException($"{Store.GetType().Name} does not implement {nameof(IControlStore)}.");

    protected static TaskTypeDefinition TypeDefinition(string type, int? concurrency = null) => new() { Type = type, Concurrency = concurrency };

    protected Task<TaskTypeDefinition> PutTypeAsync(TaskTypeDefinition definition) =>
        Bounded(Controls.PutTaskTypeAsync(new PutTaskTypeRequest(definition, Submitter), Ct));

    protected Task<QueueSettings> UpdateQueueAsync(string queue, QueueSettingsPatch patch) =>
        Bounded(Controls.UpdateQueueSettingsAsync(new UpdateQueueSettingsRequest(queue, patch, Submitter), Ct));

    protected Task<IReadOnlyList<TaskTypeDefinition>> ListTypesAsync() => Bounded(Controls.ListTaskTypesAsync(Ct));

    [Fact]
    public async Task TaskTypes_Put_ReadBackWholeAfterRestart()
    {
        var definition = new TaskTypeDefinition
        {
            Type = "llm.chat",
            Description = "Chat completion",
            PayloadSchema = new JsonText("""{"type":"object","required":["messages"]}"""),
            Defaults = new TaskTypeDefaults
            {
                Queue = "llm",
                Group = "gpt-4o",
                Priority = 3,
                TimeoutMs = 60_000,
                LeaseMs = 15_000,
                MaxAttempts = 4,
                Retry = new RetrySpec(BackoffKind.Exponential, 1_000, null, 3, null),
                Review = ReviewMode.Required,
            },
            Concurrency = 8,
            EstimatedDurationMs = 2_500,
        };
        Time.Advance(TimeSpan.FromSeconds(5));

        var stored = await PutTypeAsync(definition);
        await Sut.RestartAsync(Ct);

        var expected = definition with { Source = TaskTypeSource.Api, UpdatedAt = Start.AddSeconds(5) };
        Assert.Equal(expected, stored);
        Assert.Equal(expected, Assert.Single(await ListTypesAsync()));
    }

    [Fact]
    public async Task TaskTypes_PutAgainThenDelete_ReplacedThenGone()
    {
        await PutTypeAsync(TypeDefinition("b", 1));
        await PutTypeAsync(TypeDefinition("a"));
        await PutTypeAsync(TypeDefinition("b", 2) with { Description = "second" });

        Assert.Equal([("a", null, null), ("b", 2, "second")], (await ListTypesAsync()).Select(d => (d.Type, d.Concurrency, d.Description)));
        Assert.True(await Bounded(Controls.DeleteTaskTypeAsync(new DeleteTaskTypeRequest("b", Submitter), Ct)));
        Assert.False(await Bounded(Controls.DeleteTaskTypeAsync(new DeleteTaskTypeRequest("b", Submitter), Ct)));
        Assert.Equal(["a"], (await ListTypesAsync()).Select(d => d.Type));
    }

    [Fact]
    public async Task TaskTypes_Sync_FileTypesReplacedApiTypesKept()
    {
        await PutTypeAsync(TypeDefinition("api.only"));
        await PutTypeAsync(TypeDefinition("both", 1));
        await Bounded(Controls.SyncTaskTypesAsync(new SyncTaskTypesRequest([TypeDefinition("old.file")]), Ct));

        var all = await Bounded(Controls.SyncTaskTypesAsync(new SyncTaskTypesRequest([TypeDefinition("both", 5), TypeDefinition("new.file")]), Ct));

        var expected = new[] { ("api.only", TaskTypeSource.Api, (int?)null), ("both", TaskTypeSource.File, 5), ("new.file", TaskTypeSource.File, null) };
        Assert.Equal(expected, all.Select(d => (d.Type, d.Source, d.Concurrency)));
        Assert.Equal(expected, (await ListTypesAsync()).Select(d => (d.Type, d.Source, d.Concurrency)));
    }

    [Fact]
    public async Task QueueSettings_NoneStored_ListEmpty()
    {
        Assert.Empty(await Bounded(Controls.ListQueueSettingsAsync(Ct)));
    }

    [Fact]
    public async Task QueueSettings_Updates_MergeAndSurviveRestart()
    {
        await UpdateQueueAsync("llm", new QueueSettingsPatch
        {
            MaxRunning = Patch<int?>.Set(4),
            Rate = Patch<RateLimit?>.Set(new RateLimit(10, 1_000)),
            GroupRates = Patch<IReadOnlyDictionary<string, RateLimit?>?>.Set(new Dictionary<string, RateLimit?> { ["gpt-4o"] = new(2, 60_000) }),
            ScopeWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(new Dictionary<string, int?> { ["acme"] = 3 }),
        });
        Time.Advance(TimeSpan.FromSeconds(1));
        var returned = await UpdateQueueAsync("llm", new QueueSettingsPatch
        {
            Paused = Patch<bool>.Set(true),
            MaxLength = Patch<int?>.Set(100),
            Rate = Patch<RateLimit?>.Set(null),
            GroupWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(new Dictionary<string, int?> { ["gpt-4o"] = 2 }),
        });
        await Sut.RestartAsync(Ct);

        var stored = Assert.Single(await Bounded(Controls.ListQueueSettingsAsync(Ct)));
        Assert.Equal((returned.Paused, returned.MaxLength, returned.MaxRunning, returned.UpdatedAt),
            (stored.Paused, stored.MaxLength, stored.MaxRunning, stored.UpdatedAt));
        Assert.Equal(("llm", true, 100, 4, (RateLimit?)null, Start.AddSeconds(1)),
            (stored.Queue, stored.Paused, stored.MaxLength, stored.MaxRunning, stored.Rate, stored.UpdatedAt));
        Assert.Equal(new RateLimit(2, 60_000), Assert.Single(stored.GroupRates).Value);
        Assert.Equal(3, stored.ScopeWeights["acme"]);
        Assert.Equal(2, stored.GroupWeights["gpt-4o"]);
    }
}
