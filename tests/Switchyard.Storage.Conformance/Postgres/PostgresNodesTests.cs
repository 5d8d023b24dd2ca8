using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;
using Switchyard.Core.Types;
using Switchyard.Storage.Postgres;

namespace Switchyard.Storage.Conformance.Postgres;

/// <summary>
/// What only a shared store has to get right: several nodes (each its own store object and connection pool) on one
/// schema, claiming and changing controls at the same moment. Limits hold across them; no update is lost.
/// </summary>
public sealed class PostgresNodesTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const int Nodes = 3;
    private const int ClaimsPerNode = 8;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private PostgresNodes _nodes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresTaskStore First => _nodes[0].Store;

    public async ValueTask InitializeAsync() => _nodes = await PostgresNodes.StartAsync(cluster, Nodes, _time, Ct);

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    [Fact]
    public async Task Claim_QueueMaxRunningFromEveryNodeAtOnce_NeverMoreThanTheLimit()
    {
        await EnqueueAsync("limited", 40);
        await UpdateQueueAsync(new QueueSettingsPatch { MaxRunning = Patch<int?>.Set(3) });

        Assert.Equal(3, await ClaimEverywhereAsync("limited"));
    }

    [Fact]
    public async Task Claim_TypeConcurrencyFromEveryNodeInTwoQueues_NeverMoreThanTheLimit()
    {
        await First.PutTaskTypeAsync(new PutTaskTypeRequest(new TaskTypeDefinition { Type = "llm.chat", Concurrency = 2 }, null), Ct)
            .WaitAsync(Bound, Ct);
        await EnqueueAsync("a", 20, "llm.chat");
        await EnqueueAsync("b", 20, "llm.chat");

        Assert.Equal(2, await ClaimEverywhereAsync("a", "b"));
    }

    [Fact]
    public async Task Claim_QueueRateFromEveryNodeAtOnce_OneBucketForAll()
    {
        await EnqueueAsync("limited", 40);
        await UpdateQueueAsync(new QueueSettingsPatch { Rate = Patch<RateLimit?>.Set(new RateLimit(5, 60_000)) });

        Assert.Equal(5, await ClaimEverywhereAsync("limited"));
        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(1, await ClaimEverywhereAsync("limited"));
    }

    [Fact]
    public async Task Claim_QueuePausedOnOneNode_OtherNodesHandOutNothingUntilResumed()
    {
        await EnqueueAsync("limited", 4);
        await UpdateQueueAsync(QueueSettingsPatch.Pause);

        Assert.Equal(0, await ClaimEverywhereAsync("limited"));
        await _nodes[^1].Store.UpdateQueueSettingsAsync(new UpdateQueueSettingsRequest("limited", QueueSettingsPatch.Resume, null), Ct)
            .WaitAsync(Bound, Ct);
        Assert.Equal(4, await ClaimEverywhereAsync("limited"));
    }

    [Fact]
    public async Task Enqueue_MaxLengthStoredThroughAnotherNode_AppliesAtOnce()
    {
        await EnqueueAsync("limited", 2);
        await _nodes[^1].Store.UpdateQueueSettingsAsync(
            new UpdateQueueSettingsRequest("limited", new QueueSettingsPatch { MaxLength = Patch<int?>.Set(2) }, null), Ct).WaitAsync(Bound, Ct);

        var task = NewTasks.Build(new SubmitTask { Id = "one-more", Type = "test.echo", Queue = "limited" }, new EngineOptions(), _time.GetUtcNow()).Value!;
        var refused = await First.EnqueueAsync(new EnqueueRequest([task], new Dictionary<string, int>(), null), Ct).WaitAsync(Bound, Ct);

        Assert.Equal(ErrorCodes.QueueFull, refused.Error?.Code);
    }

    [Fact]
    public async Task UpdateQueueSettings_EveryNodePatchesTheSameQueueAtOnce_NoUpdateLost()
    {
        var patches = Enumerable.Range(0, 30).Select(i => _nodes[i % Nodes].Store.UpdateQueueSettingsAsync(
            new UpdateQueueSettingsRequest("shared", new QueueSettingsPatch
            {
                ScopeWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(new Dictionary<string, int?> { [$"tenant-{i}"] = 1 + (i % 5) }),
            }, null), Ct));
        await Task.WhenAll(patches).WaitAsync(Bound, Ct);

        var stored = Assert.Single(await First.ListQueueSettingsAsync(Ct).WaitAsync(Bound, Ct));
        Assert.Equal(30, stored.ScopeWeights.Count);
        Assert.All(Enumerable.Range(0, 30), i => Assert.Equal(1 + (i % 5), stored.ScopeWeights[$"tenant-{i}"]));
    }

    /// <summary>Every node claims (a few tasks each time) several times at once; returns how many tasks were handed out in all.</summary>
    private async Task<int> ClaimEverywhereAsync(params string[] queues)
    {
        var claims = _nodes.Each.SelectMany((node, n) => Enumerable.Range(0, ClaimsPerNode).Select(c => node.Store.ClaimAsync(
            new ClaimRequest($"w{n}-{c}", queues, [], [], 3, 60_000, 60_000), Ct)));
        var results = await Task.WhenAll(claims).WaitAsync(Bound, Ct);
        return results.Sum(r => r.Claimed.Count);
    }

    private Task<TaskRecord[]> EnqueueAsync(string queue, int count, string type = "test.echo") => _nodes.EnqueueAsync(First, queue, count, Ct, type);

    private Task<QueueSettings> UpdateQueueAsync(QueueSettingsPatch patch) =>
        First.UpdateQueueSettingsAsync(new UpdateQueueSettingsRequest("limited", patch, null), Ct).WaitAsync(Bound, Ct);
}
