using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Postgres;

namespace Switchyard.Storage.Conformance.Postgres;

/// <summary>
/// The tasks table's statistics follow its size: analyzed when it grew or shrank far from what the last analysis saw,
/// left alone otherwise (autovacuum's business).
/// </summary>
public sealed class PostgresPlannerStatisticsTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly string _schema = PostgresCluster.NewSchema();
    private PostgresDatabase _database = null!;
    private PostgresTaskStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = _schema });
        _store = new PostgresTaskStore(_database, TimeProvider.System, NullLogger<PostgresTaskStore>.Instance);
        await _store.InitializeAsync(Ct).WaitAsync(Bound, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        await cluster.DropSchemaAsync(_schema).WaitAsync(Bound, CancellationToken.None);
    }

    [Theory]
    [InlineData(0, -1, false)] // empty, never analyzed
    [InlineData(999, -1, false)]
    [InlineData(1_001, -1, true)]
    [InlineData(3_000, 1_000, false)] // three times as many, but within the slack of 1,000 rows
    [InlineData(3_001, 1_000, true)]
    [InlineData(20_000, 10_000, false)] // doubled: left to autovacuum
    [InlineData(21_001, 10_000, true)]
    [InlineData(4_000, 10_000, false)]
    [InlineData(3_999, 10_000, true)] // drained to under half, less the slack
    public void Drifted_ComparesLiveRowsWithTheLastAnalysis(long live, long analyzed, bool drifted) =>
        Assert.Equal(drifted, PgPlannerStatistics.Drifted(live, analyzed));

    [Fact]
    public async Task Refresh_AfterABurstOfSubmits_AnalyzesOnceThenNotAgain()
    {
        Assert.False(await PgPlannerStatistics.RefreshAsync(_database, Ct));
        var tasks = Enumerable.Range(0, 3_000)
            .Select(i => NewTasks.Build(new SubmitTask { Id = $"t-{i}", Type = "test.echo" }, new EngineOptions(), TimeProvider.System.GetUtcNow()).Value!)
            .ToArray();
        Assert.True((await _store.EnqueueAsync(new EnqueueRequest(tasks, new Dictionary<string, int>(), null), Ct).WaitAsync(Bound, Ct)).IsSuccess);

        // The live-row count reaches the statistics views a moment after the commit (PostgreSQL flushes them about once a second).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Bound);
        while (!await PgPlannerStatistics.RefreshAsync(_database, timeout.Token))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }

        Assert.Equal(3_000, await AnalyzedRowsAsync());
        Assert.False(await PgPlannerStatistics.RefreshAsync(_database, Ct));
    }

    private async Task<long> AnalyzedRowsAsync()
    {
        await using var connection = await _database.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT reltuples::bigint FROM pg_class WHERE oid = 'tasks'::regclass", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
