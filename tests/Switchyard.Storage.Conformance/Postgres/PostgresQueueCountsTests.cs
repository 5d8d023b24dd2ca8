using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Postgres;

namespace Switchyard.Storage.Conformance.Postgres;

/// <summary>
/// The queue counts the PostgreSQL store keeps with triggers (migration 0007): exact whatever writes the tasks and
/// however folds interleave with them, on several nodes at once; the conformance suite covers the counts' meaning.
/// </summary>
public sealed class PostgresQueueCountsTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const int Nodes = 2;
    private const int Flows = 4;
    private const int Rounds = 12;
    private const int Batch = 20;
    private const long ResultTtlMs = 600_000;
    private const string Counted = "SELECT queue, state, count(*) FROM tasks GROUP BY queue, state";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private PostgresNodes _nodes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresDatabase Database => _nodes[0].Database;

    private FakeTimeProvider Time => _nodes.Time;

    public async ValueTask InitializeAsync() =>
        _nodes = await PostgresNodes.StartAsync(cluster, Nodes, new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)), Ct);

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    [Fact]
    public async Task QueueStats_MovesOnEveryNodeWhileFoldsRun_StayExact()
    {
        var flows = Task.WhenAll(Enumerable.Range(0, Flows).Select(FlowAsync));
        var folds = Task.WhenAll(_nodes.Each.Select(node => UntilDoneAsync(flows, async () => await node.Store.FoldQueueCountsAsync(Ct))));
        var reads = UntilDoneAsync(flows, async () =>
        {
            var stats = await _nodes[^1].Queries.ListQueueStatsAsync(Ct);
            Assert.All(stats, s => Assert.All(s.Counts.Values, n => Assert.True(n >= 0, $"{s.Queue} has a negative count")));
        });
        await Task.WhenAll(flows, folds, reads).WaitAsync(Bound, Ct);

        var actual = await CountAsync(Counted);
        Assert.Contains(actual.Keys, k => k.Item2 == "completed");
        Assert.Equal(actual, await StatsAsync());
        await _nodes[0].Store.FoldQueueCountsAsync(Ct).WaitAsync(Bound, Ct);
        Assert.Equal(actual, await StatsAsync());
        Assert.Equal(actual, await CountAsync("SELECT queue, state, n FROM queue_counts"));
        Assert.Empty(await CountAsync("SELECT queue, state, n FROM queue_count_deltas"));
    }

    [Fact]
    public async Task FoldQueueCounts_QueueEmptied_QueueNotListedAndNoCounterLeft()
    {
        var tasks = await EnqueueAsync(_nodes[0].Store, "gone", 3);
        await _nodes[0].Store.FoldQueueCountsAsync(Ct).WaitAsync(Bound, Ct);
        foreach (var task in tasks)
        {
            Assert.True((await _nodes[1].Store.CancelAsync(new CancelRequest(task.Id, null, ResultTtlMs, null), Ct)).IsSuccess);
        }

        Assert.Equal(3, (await StatsAsync())[("gone", "cancelled")]);
        Assert.Equal(3, await _nodes[1].Store.PurgeFinishedAsync(new PurgeFinishedRequest(Time.GetUtcNow(), [], "gone", 100), Ct));
        Assert.Empty(await _nodes[1].Queries.ListQueueStatsAsync(Ct));
        await _nodes[1].Store.FoldQueueCountsAsync(Ct).WaitAsync(Bound, Ct);

        Assert.Empty(await _nodes[1].Queries.ListQueueStatsAsync(Ct));
        Assert.Empty(await CountAsync("SELECT queue, state, n FROM queue_counts"));
    }

    [Fact]
    public async Task QueueStats_TasksCopiedInThenTruncated_Follow()
    {
        await EnqueueAsync(_nodes[0].Store, "copied", 2);
        await using (var connection = await Database.OpenAsync(Ct))
        {
            await using var copy = await connection.BeginTextImportAsync(
                "COPY tasks (id, type, queue, grp, priority, state, payload, attempt, max_attempts, retry, review, rejection_count, scope, " +
                "cancel_requested, created_at, updated_at, on_dependency_failure, max_rejections) FROM STDIN", Ct);
            foreach (var (id, state) in new[] { ("c1", "queued"), ("c2", "queued"), ("c3", "running") })
            {
                await copy.WriteLineAsync($"{id}\ttest.echo\tcopied\tdefault\t0\t{state}\t{{}}\t0\t3\t{{}}\tnone\t0\tdefault\tf\t0\t0\tfail\t0");
            }
        }

        Assert.Equal(await CountAsync(Counted), await StatsAsync());
        Assert.Equal(4, (await StatsAsync())[("copied", "queued")]);

        await ExecuteAsync("TRUNCATE tasks CASCADE");
        Assert.Empty(await _nodes[0].Queries.ListQueueStatsAsync(Ct));
        await EnqueueAsync(_nodes[0].Store, "copied", 1);
        Assert.Equal(1, Assert.Single(await StatsAsync()).Value);
    }

    [Fact]
    public async Task QueueStats_OneStatementMovesSomeRowsOnly_DeltasOfTheMovedRows()
    {
        await EnqueueAsync(_nodes[0].Store, "mixed", 300);
        await _nodes[0].Store.FoldQueueCountsAsync(Ct).WaitAsync(Bound, Ct);

        await ExecuteAsync(
            "UPDATE tasks SET state = CASE WHEN seq % 3 = 0 THEN 'cancelled' ELSE state END, " +
            "queue = CASE WHEN seq % 3 = 1 THEN 'mixed-moved' ELSE queue END, priority = priority + 1 WHERE queue = 'mixed'");

        Assert.Equal(await CountAsync(Counted), await StatsAsync());
        var deltas = await CountAsync("SELECT queue, state, n FROM queue_count_deltas");
        Assert.Equal(3, deltas.Count);
        Assert.Equal(-200, deltas[("mixed", "queued")]);
        Assert.Equal(100, deltas[("mixed", "cancelled")]);
        Assert.Equal(100, deltas[("mixed-moved", "queued")]);

        await _nodes[0].Store.FoldQueueCountsAsync(Ct).WaitAsync(Bound, Ct);
        await ExecuteAsync("UPDATE tasks SET priority = priority + 1");
        Assert.Empty(await CountAsync("SELECT queue, state, n FROM queue_count_deltas"));
    }

    [Fact]
    public async Task Migration_TasksStoredBeforeIt_CountedOnce()
    {
        await EnqueueAsync(_nodes[0].Store, "early", 5);
        await ExecuteAsync(
            "DROP TABLE queue_counts, queue_count_deltas; DROP FUNCTION queue_counts_inserted, queue_counts_updated, queue_counts_deleted, " +
            "queue_counts_truncated CASCADE; DELETE FROM schema_migrations WHERE version IN (7, 9)");

        Assert.Equal(2, await PgMigrator.ApplyAsync(Database, Ct).WaitAsync(Bound, Ct));

        Assert.Equal(await CountAsync(Counted), await StatsAsync());
        Assert.Equal(5, (await StatsAsync())[("early", "queued")]);
        Assert.Empty(await CountAsync("SELECT queue, state, n FROM queue_count_deltas"));
    }

    /// <summary>One node's flow: submits a batch, cancels one, claims half, completes or fails what it got, purges finished tasks now and then.</summary>
    private async Task FlowAsync(int flow)
    {
        var (_, store, _) = _nodes[flow % Nodes];
        var queue = $"q{flow % 3}";
        for (var round = 0; round < Rounds; round++)
        {
            var tasks = await EnqueueAsync(store, queue, Batch, $"f{flow}-r{round}");
            await store.CancelAsync(new CancelRequest(tasks[0].Id, null, ResultTtlMs, null), Ct);
            var claimed = await store.ClaimAsync(new ClaimRequest($"w{flow}", [queue], [], [], Batch / 2, 60_000, 60_000), Ct);
            await Task.WhenAll(claimed.Claimed.Select((move, i) => i % 3 == 0
                ? store.FailAsync(new FailRequest(move.Task.Id, move.Task.Lease!.Token, new TaskError("broken", "no", ErrorKind.Fatal), null, 0.5,
                    ResultTtlMs, null), Ct)
                : store.CompleteAsync(new CompleteRequest(move.Task.Id, move.Task.Lease!.Token, JsonText.Null, ResultTtlMs, null), Ct)));
            if (round % 4 == 3)
            {
                await store.PurgeFinishedAsync(new PurgeFinishedRequest(Time.GetUtcNow(), [], queue, Batch), Ct);
            }
        }
    }

    /// <summary>Runs <paramref name="step"/> again and again until <paramref name="done"/> has finished (at least once).</summary>
    private static async Task UntilDoneAsync(Task done, Func<Task> step)
    {
        do
        {
            await step();
        }
        while (!done.IsCompleted);
    }

    private Task<TaskRecord[]> EnqueueAsync(PostgresTaskStore store, string queue, int count, string? prefix = null) =>
        _nodes.EnqueueAsync(store, queue, count, Ct, prefix: prefix);

    /// <summary>What the store's queue stats say, as (queue, state) → count, zeros left out.</summary>
    private async Task<Dictionary<(string, string), long>> StatsAsync() =>
        (await _nodes[0].Queries.ListQueueStatsAsync(Ct).WaitAsync(Bound, Ct))
        .SelectMany(s => s.Counts.Where(c => c.Value != 0).Select(c => ((s.Queue, c.Key.ToName()), c.Value)))
        .ToDictionary(c => c.Item1, c => c.Value);

    /// <summary>Rows of (queue, state, number), as a dictionary.</summary>
    private async Task<Dictionary<(string, string), long>> CountAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var counts = new Dictionary<(string, string), long>();
        while (await reader.ReadAsync(Ct))
        {
            counts.Add((reader.GetString(0), reader.GetString(1)), reader.GetInt64(2));
        }

        return counts;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct).WaitAsync(Bound, Ct);
    }
}
