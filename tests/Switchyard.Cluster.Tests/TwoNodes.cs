using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Storage.Conformance.Postgres;

namespace Switchyard.Cluster.Tests;

/// <summary>Two in-process nodes (<see cref="ClusterNode"/>) on a fresh schema, and the steps their tests take.</summary>
/// <param name="clock">Both engines' clock (see <see cref="ClusterNode.StartAsync"/>); the real one when null.</param>
public abstract class TwoNodes(SharedPostgres postgres, int pollMs, TimeProvider? clock = null) : IAsyncLifetime
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(60); // a hang bound: 20 s ran out once at load 15
    private readonly string _schema = PostgresCluster.NewSchema();

    /// <summary>The schema both nodes use, for a test that starts a third.</summary>
    internal string Schema => _schema;

    internal string ConnectionString => postgres.Cluster.ConnectionString;

    /// <summary>Both engines' clock.</summary>
    protected TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    internal ClusterNode A { get; private set; } = null!;

    internal ClusterNode B { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        A = await ClusterNode.StartAsync(postgres.Cluster.ConnectionString, _schema, pollMs, Ct, Clock);
        B = await ClusterNode.StartAsync(postgres.Cluster.ConnectionString, _schema, pollMs, Ct, Clock);
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await postgres.Cluster.DropSchemaAsync(_schema);
        GC.SuppressFinalize(this);
    }

    internal static async Task<string> SubmitAsync(ClusterNode node, string payload = "null")
    {
        var submitted = await node.Broker.SubmitAsync(new SubmitTask { Type = "echo", Payload = new JsonText(payload) }, "tester", Ct);
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        return submitted.Value.Task.Id;
    }

    internal static async Task<IReadOnlyList<TaskRecord>> ClaimAsync(ClusterNode node, int maxTasks)
    {
        var claimed = await node.Broker.ClaimAsync(new ClaimSpec { WorkerId = "worker", MaxTasks = maxTasks, WaitMs = 5_000 }, Ct);
        Assert.True(claimed.IsSuccess, claimed.Error?.Message);
        return claimed.Value;
    }

    internal static async Task<TaskRecord> ClaimAsync(ClusterNode node) => Assert.Single(await ClaimAsync(node, 1));

    internal static async Task CompleteAsync(ClusterNode node, TaskRecord task, string result = "null")
    {
        var completed = await node.Broker.CompleteAsync(task.Id, task.Lease!.Token, new JsonText(result), "worker", Ct);
        Assert.True(completed.IsSuccess, completed.Error?.Message);
    }

    /// <summary>The next <paramref name="count"/> events of <paramref name="subscription"/>.</summary>
    internal static Task<List<TaskEvent>> ReadAsync(TaskEventSubscription subscription, int count) =>
        ReadUntilAsync(subscription, seen => seen.Count == count);

    /// <summary>Events of <paramref name="subscription"/> until <paramref name="enough"/> says so; fails after the bound.</summary>
    internal static async Task<List<TaskEvent>> ReadUntilAsync(TaskEventSubscription subscription, Func<List<TaskEvent>, bool> enough)
    {
        var events = new List<TaskEvent>();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(Bound);
        await foreach (var delivery in subscription.ReadAllAsync(bound.Token))
        {
            if (delivery.Event is { } taskEvent)
            {
                events.Add(taskEvent);
                if (enough(events))
                {
                    break;
                }
            }
        }

        return events;
    }
}
