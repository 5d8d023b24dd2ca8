using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Storage;
using Switchyard.Storage.Conformance.Postgres;
using Switchyard.Storage.Postgres;

[assembly: AssemblyFixture(typeof(PostgresCluster))]

namespace Switchyard.Storage.Conformance;

/// <summary>The conformance suite against the PostgreSQL store: a fresh schema on the run's private cluster per store.</summary>
public sealed class PostgresConformanceTests(PostgresCluster cluster) : TaskStoreConformance
{
    protected override IScheduleStore SchedulesOf(ITaskStore store) => (PostgresTaskStore)store;

    protected override IStoreMaintenance MaintenanceOf(ITaskStore store) => (PostgresTaskStore)store;

    protected override Task<StoreUnderTest> CreateStoreAsync(FakeTimeProvider time, CancellationToken cancellationToken)
    {
        var schema = PostgresCluster.NewSchema();
        return OpenAsync(time, cluster.ConnectionString, schema, () => cluster.DropSchemaAsync(schema), cancellationToken);
    }

    /// <summary>
    /// A database of its own: PostgreSQL keeps deleted rows that a transaction of any session on the same database might
    /// still see, and the run's other tests (and test projects) work on the shared database all along.
    /// </summary>
    protected override async Task<StoreUnderTest> CreateSecludedStoreAsync(FakeTimeProvider time, CancellationToken cancellationToken)
    {
        var (connectionString, name) = await cluster.CreateDatabaseAsync(cancellationToken);
        return await OpenAsync(time, connectionString, "switchyard", () => cluster.DropDatabaseAsync(name), cancellationToken);
    }

    /// <summary>
    /// A transaction that holds a transaction id keeps deleted rows from vacuum in every database of the cluster, and the
    /// run's other tests write all along: waits (in the server) until every transaction id given out before the call has ended.
    /// </summary>
    protected override Task AwaitOlderTransactionsAsync(CancellationToken cancellationToken) =>
        cluster.AwaitOlderTransactionsAsync(cancellationToken);

    private Task<StoreUnderTest> OpenAsync(
        FakeTimeProvider time, string connectionString, string schema, Func<Task> removeData, CancellationToken cancellationToken)
    {
        PostgresDatabase? database = null;
        return StoreUnderTest.OpenAsync(
            async ct =>
            {
                if (database is not null)
                {
                    await database.DisposeAsync();
                }

                database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema });
                var store = new PostgresTaskStore(database, time, NullLogger<PostgresTaskStore>.Instance, Holds);
                await store.InitializeAsync(ct);
                return ((ITaskStore)store, (ITaskQueries)new PostgresTaskQueries(database, time));
            },
            async () =>
            {
                if (database is not null)
                {
                    await database.DisposeAsync();
                }

                await removeData();
            },
            cancellationToken);
    }
}
