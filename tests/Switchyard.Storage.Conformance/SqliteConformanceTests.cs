using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Storage;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Storage.Conformance;

/// <summary>The conformance suite against the embedded store: a fresh database file in a fresh temporary folder per store.</summary>
public sealed class SqliteConformanceTests : TaskStoreConformance
{
    protected override IScheduleStore SchedulesOf(ITaskStore store) => (SqliteTaskStore)store;

    protected override IStoreMaintenance MaintenanceOf(ITaskStore store) => (SqliteTaskStore)store;

    protected override Task<StoreUnderTest> CreateStoreAsync(FakeTimeProvider time, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("switchyard-conformance-").FullName;
        return StoreUnderTest.OpenAsync(
            async ct =>
            {
                // A checkpoint every 64 pages, beside the writer (see SqliteCheckpointer): the suite runs with the hook, the
                // checkpoint thread and the writer's finishes all busy, where the default would rarely reach one.
                var database = new SqliteDatabase(new SqliteStoreOptions { DataDirectory = directory, CheckpointFrames = 64 });
                var store = new SqliteTaskStore(database, time, NullLogger<SqliteTaskStore>.Instance, Holds);
                try
                {
                    await store.InitializeAsync(ct);
                }
                catch
                {
                    await store.DisposeAsync();
                    throw;
                }

                return ((ITaskStore)store, (ITaskQueries)new SqliteTaskQueries(database, time));
            },
            () =>
            {
                Directory.Delete(directory, recursive: true);
                return ValueTask.CompletedTask;
            },
            cancellationToken);
    }
}
