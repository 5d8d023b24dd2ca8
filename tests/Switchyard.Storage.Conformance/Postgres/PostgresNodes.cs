using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Postgres;

namespace Switchyard.Storage.Conformance.Postgres;

/// <summary>
/// Several nodes on one fresh schema of the run's cluster, as several servers would be: each its own connection pool,
/// store and queries, all on one fake clock. Disposing them drops the schema.
/// </summary>
internal sealed class PostgresNodes : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly PostgresCluster _cluster;
    private readonly string _schema = PostgresCluster.NewSchema();
    private readonly List<(PostgresDatabase Database, PostgresTaskStore Store, PostgresTaskQueries Queries)> _nodes = [];

    private PostgresNodes(PostgresCluster cluster, FakeTimeProvider time)
    {
        _cluster = cluster;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public IReadOnlyList<(PostgresDatabase Database, PostgresTaskStore Store, PostgresTaskQueries Queries)> Each => _nodes;

    public int Count => _nodes.Count;

    public (PostgresDatabase Database, PostgresTaskStore Store, PostgresTaskQueries Queries) this[int index] => _nodes[index];

    public static async Task<PostgresNodes> StartAsync(PostgresCluster cluster, int count, FakeTimeProvider time, CancellationToken cancellationToken)
    {
        var nodes = new PostgresNodes(cluster, time);
        for (var i = 0; i < count; i++)
        {
            var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = nodes._schema });
            var store = new PostgresTaskStore(database, time, NullLogger<PostgresTaskStore>.Instance);
            nodes._nodes.Add((database, store, new PostgresTaskQueries(database, time)));
            await store.InitializeAsync(cancellationToken).WaitAsync(Bound, cancellationToken);
        }

        return nodes;
    }

    /// <summary>Stores <paramref name="count"/> new tasks through <paramref name="store"/>, ids <c>{prefix}-{i}</c> (prefix: the queue).</summary>
    public async Task<TaskRecord[]> EnqueueAsync(
        PostgresTaskStore store, string queue, int count, CancellationToken cancellationToken, string type = "test.echo", string? prefix = null)
    {
        var tasks = Enumerable.Range(0, count)
            .Select(i => NewTasks.Build(new SubmitTask { Id = $"{prefix ?? queue}-{i}", Type = type, Queue = queue }, new EngineOptions(), Time.GetUtcNow()).Value!)
            .ToArray();
        var stored = await store.EnqueueAsync(new EnqueueRequest(tasks, new Dictionary<string, int>(), null), cancellationToken).WaitAsync(Bound, cancellationToken);
        Assert.True(stored.IsSuccess, stored.Error?.Message);
        return tasks;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (database, store, _) in _nodes)
        {
            await store.DisposeAsync();
            await database.DisposeAsync();
        }

        await _cluster.DropSchemaAsync(_schema).WaitAsync(Bound, CancellationToken.None);
    }
}
