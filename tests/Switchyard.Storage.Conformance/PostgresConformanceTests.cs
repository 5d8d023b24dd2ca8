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
        PostgresDatabase? database = null;
        return StoreUnderTest.OpenAsync(
            async ct =>
            {
                if (database is not null)
                {
                    await database.DisposeAsync();
                }

                database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = schema });
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

                await cluster.DropSchemaAsync(schema);
            },
            cancellationToken);
    }
}
