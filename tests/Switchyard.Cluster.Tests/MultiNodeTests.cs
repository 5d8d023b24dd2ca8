using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Storage.Conformance.Postgres;
using Switchyard.Worker;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// Acceptance of the multi-node issue: two real server processes on one schema, tasks submitted alternately to both,
/// .NET push workers on both; every task completes exactly once, on whichever node, and every node's subscribers see
/// every task's events in order.
/// </summary>
public sealed class MultiNodeTests(SharedPostgres postgres) : IAsyncLifetime
{
    private const int Total = 20_000;
    private const int BatchSize = 500;
    private readonly string _schema = PostgresCluster.NewSchema();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await postgres.Cluster.DropSchemaAsync(_schema);

    [Fact]
    public async Task TwentyThousandTasks_TwoNodeProcesses_EachCompletedOnceInOrderEverywhere()
    {
        var settings = new { Cluster = new { PollMs = 1_000 } };
        await using var a = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        await using var b = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        await using var seenOnA = await EventWatch.StartAsync(a.Http, TaskEventTypes.Completed, Ct);
        await using var seenOnB = await EventWatch.StartAsync(b.Http, TaskEventTypes.Completed, Ct);
        var ranOn = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await using var workerA = StartWorker(a, "a", ranOn);
        await using var workerB = StartWorker(b, "b", ranOn);

        var clock = Stopwatch.StartNew();
        var submittedTo = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var batch = 0; batch < Total / BatchSize; batch++)
        {
            var (node, name) = batch % 2 == 0 ? (a, "a") : (b, "b");
            var ids = await node.SubmitBatchAsync(
                Enumerable.Range(batch * BatchSize, BatchSize).Select(n => new { type = "echo", payload = n }), Ct);
            foreach (var id in ids)
            {
                submittedTo[id] = name;
            }
        }

        await Task.WhenAll(seenOnA.Reached(Total), seenOnB.Reached(Total)).WaitAsync(TimeSpan.FromSeconds(150), Ct);
        var elapsed = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Total} tasks through two nodes in {elapsed.TotalSeconds:F1} s ({Total / elapsed.TotalSeconds:F0} tasks/s); " +
            $"ran on a: {ranOn.Values.Count(n => n == "a")}, on b: {ranOn.Values.Count(n => n == "b")}");

        var audit = await HistoryAudit.ReadAsync(postgres.Cluster.ConnectionString, _schema, Ct);
        Assert.Equal(new HistoryAudit(Total, 0, 0, 0, 0), audit);
        string[] story = [TaskEventTypes.Queued, TaskEventTypes.Started, TaskEventTypes.Completed];
        foreach (var id in submittedTo.Keys)
        {
            Assert.Equal(story, seenOnA.ByTask[id]);
            Assert.Equal(story, seenOnB.ByTask[id]);
        }

        // Push dispatch across nodes: workers took tasks submitted to the other node.
        Assert.Contains(submittedTo, s => ranOn.TryGetValue(s.Key, out var node) && node != s.Value && node == "a");
        Assert.Contains(submittedTo, s => ranOn.TryGetValue(s.Key, out var node) && node != s.Value && node == "b");

        // The table-upkeep leader folded the counts the triggers kept: every task once, completed, no delta left.
        await Poll.UntilAsync(async () => await FoldedCountsAsync() == $"{TaskDefaults.Queue}/completed/{Total};0", TimeSpan.FromSeconds(30), Ct, a, b);
    }

    /// <summary>The folded queue counts and how many deltas wait to be folded, as "queue/state/n,...;deltas".</summary>
    private async Task<string> FoldedCountsAsync()
    {
        await using var connection = new NpgsqlConnection(postgres.Cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            $"SELECT coalesce((SELECT string_agg(queue || '/' || state || '/' || n, ',' ORDER BY queue, state) FROM \"{_schema}\".queue_counts), '') " +
            $"|| ';' || (SELECT count(*) FROM \"{_schema}\".queue_count_deltas)", connection);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static SwitchyardWorker StartWorker(ServerNode node, string name, ConcurrentDictionary<string, string> ranOn)
    {
        var worker = new SwitchyardWorker(new SwitchyardWorkerOptions { Server = node.BaseAddress, Name = "worker-" + name, Capacity = 200 });
        worker.Handle("echo", (context, _) =>
        {
            ranOn[context.TaskId] = name;
            return Task.FromResult(context.Payload);
        });
        _ = worker.StartAsync(Ct);
        return worker;
    }
}
