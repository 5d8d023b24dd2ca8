using Npgsql;
using Switchyard.Bench.Workloads;
using Switchyard.Storage.Conformance.Postgres;

namespace Switchyard.Tests;

/// <summary>
/// The bench on the PostgreSQL store at a tiny scale: the real server on a real database (the run's cluster, or one of
/// its own), a fresh schema per run, dropped afterwards; the result names the database and what a commit promises.
/// </summary>
public sealed class PostgresSmokeTests : IAsyncLifetime
{
    private const int Jobs = 30;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);
    private readonly PostgresCluster _postgres = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("switchyard-benchpg-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _postgres.InitializeAsync();

    [Fact]
    public async Task PeerBench_PostgresStoreProcessDurability_EveryWorkloadRunsAndTheSchemasAreDropped()
    {
        var options = new PeerBenchOptions
        {
            Command = SwitchyardCommand.FromDll(Path.Combine(AppContext.BaseDirectory, "switchyard.dll")),
            OutputDirectory = _folder,
            Rounds = 1,
            Durabilities = ["process"],
            Store = PeerBenchOptions.PostgresStore,
            PostgresConnection = _postgres.ConnectionString,
            Constants = WorkloadConstants.Peers.WithJobs(Jobs),
            WarmupTasks = 5,
        };
        var before = await BenchSchemasAsync();
        var checkpoints = await RequestedCheckpointsAsync();
        var progress = new StringWriter();

        var document = Assert.Single(await PeerBench.RunAsync(options, progress, Ct).WaitAsync(Bound, Ct));

        Assert.StartsWith("Switchyard / PostgreSQL (durability process", document.Label, StringComparison.Ordinal);
        Assert.All(document.Workloads.Values, w => Assert.Null(Assert.Single(w.Runs).Error));
        Assert.Equal(Jobs, document.Workloads[WorkloadNames.W4].Runs[0].Completed);
        Assert.Contains("postgresql", document.Versions.Keys);
        Assert.Equal("off (Switchyard's sessions)", document.Durability["synchronous_commit"]);
        Assert.Equal("Postgres:Durability=process", document.Durability["setting"]);
        Assert.True(File.Exists(Path.Combine(_folder, "switchyard-postgres-process.json")));
        Assert.Equal(before, await BenchSchemasAsync()); // every run's schema was dropped
        Assert.DoesNotContain("no CHECKPOINT", progress.ToString(), StringComparison.Ordinal);
        Assert.True(await RequestedCheckpointsAsync() >= checkpoints + WorkloadNames.All.Count, "a checkpoint before every run");
    }

    [Fact]
    public async Task Checkpoint_RoleMayNotTakeOne_FalseAndNoError()
    {
        var role = $"bench_nocheckpoint_{Guid.NewGuid():N}"[..30];
        await ExecuteAsync($"CREATE ROLE {role} LOGIN");
        try
        {
            var options = new PeerBenchOptions
            {
                Command = SwitchyardCommand.FromDll(Path.Combine(AppContext.BaseDirectory, "switchyard.dll")),
                OutputDirectory = _folder,
                Store = PeerBenchOptions.PostgresStore,
                PostgresConnection = new NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { Username = role, Pooling = false }.ConnectionString,
            };
            using var database = BenchDatabase.For(options);

            Assert.False(await database.CheckpointAsync(Ct).WaitAsync(Bound, Ct));
        }
        finally
        {
            await ExecuteAsync($"DROP ROLE {role}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        await _postgres.DisposeAsync();
    }

    private async Task<long> RequestedCheckpointsAsync()
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT checkpoints_req FROM pg_stat_bgwriter", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<string[]> BenchSchemasAsync()
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench\\_%' ORDER BY 1", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }
}
