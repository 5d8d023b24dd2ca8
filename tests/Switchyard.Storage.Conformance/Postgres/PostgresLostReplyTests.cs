using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Postgres;

namespace Switchyard.Storage.Conformance.Postgres;

/// <summary>
/// What a node's connections do when the network fails. A submit whose transaction committed, but whose answer the
/// network lost, is still answered as stored: the store runs it again (the database may simply have been away), and that
/// run finds the tasks this very submit stored. PostgreSQL's side of each connection notices a silent node in seconds.
/// </summary>
public sealed class PostgresLostReplyTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly string _schema = PostgresCluster.NewSchema();
    private LostReplyProxy _proxy = null!;
    private PostgresDatabase _database = null!;
    private PostgresTaskStore _store = null!;
    private PostgresTaskQueries _queries = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var direct = new NpgsqlConnectionStringBuilder(cluster.ConnectionString);
        _proxy = new LostReplyProxy(direct.Host!, direct.Port);
        var through = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port };
        _database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = through.ConnectionString, Schema = _schema });
        _store = new PostgresTaskStore(_database, _time, NullLogger<PostgresTaskStore>.Instance);
        _queries = new PostgresTaskQueries(_database, _time);
        await _store.InitializeAsync(Ct).WaitAsync(Bound, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
        await _proxy.DisposeAsync();
        await cluster.DropSchemaAsync(_schema).WaitAsync(Bound, CancellationToken.None);
    }

    [Fact]
    public async Task Enqueue_AnswerLostAfterTheCommit_StoredOnceAndAnsweredAsStored()
    {
        var tasks = new[] { Build("lost-1"), Build("lost-2") };
        _proxy.Arm("max_length IS NOT NULL) ORDER BY n"); // the statement that inserts a batch of submits with its COMMIT

        var stored = await _store.EnqueueAsync(new EnqueueRequest(tasks, new Dictionary<string, int>(), "alice"), Ct).WaitAsync(Bound, Ct);

        await _proxy.Lost.Task.WaitAsync(Bound, Ct); // the answer really was lost
        Assert.True(stored.IsSuccess, stored.Error?.Message);
        Assert.Equal(["lost-1", "lost-2"], stored.Value!.Tasks.Select(t => t.Task.Id));
        Assert.All(stored.Value.Tasks, t => Assert.True(t.Created));
        foreach (var task in tasks)
        {
            var history = await _queries.ListHistoryAsync(task.Id, Ct).WaitAsync(Bound, Ct);
            Assert.Equal([TaskState.Queued], history!.Select(h => h.To));
        }
    }

    [Fact]
    public async Task Enqueue_IdTakenByAnotherSubmitAfterALostAnswer_StillRefused()
    {
        await _store.EnqueueAsync(new EnqueueRequest([Build("taken", payload: "\"first\"")], new Dictionary<string, int>(), "alice"), Ct).WaitAsync(Bound, Ct);
        _proxy.Arm("max_length IS NOT NULL) ORDER BY n");

        // Same id, other payload: the run after the lost answer finds a task this submit did not store.
        var again = await _store.EnqueueAsync(new EnqueueRequest([Build("taken", payload: "\"second\"")], new Dictionary<string, int>(), "alice"), Ct)
            .WaitAsync(Bound, Ct);

        await _proxy.Lost.Task.WaitAsync(Bound, Ct);
        Assert.False(again.IsSuccess);
        Assert.Equal("duplicate_id", again.Error!.Code);
    }

    [Fact]
    public async Task Connections_PooledAndDedicated_PostgresProbesASilentNodeWithinHalfAMinute()
    {
        await using var pooled = await _database.OpenAsync(Ct);
        await using var dedicated = await _database.OpenDedicatedAsync(Ct);
        foreach (var connection in new[] { pooled, dedicated })
        {
            await using var show = new NpgsqlCommand(
                "SELECT current_setting('tcp_keepalives_idle'), current_setting('tcp_keepalives_interval'), current_setting('tcp_keepalives_count')",
                connection);
            await using var reader = await show.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal(("10", "5", "3"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
    }

    private TaskRecord Build(string id, string payload = "{}") =>
        NewTasks.Build(new SubmitTask { Id = id, Type = "test.echo", Queue = "lost", Payload = new JsonText(payload) }, new EngineOptions(), _time.GetUtcNow()).Value!;
}
