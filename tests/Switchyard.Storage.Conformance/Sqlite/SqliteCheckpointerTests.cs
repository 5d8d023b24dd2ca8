using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Storage.Conformance.Sqlite;

/// <summary>
/// The embedded store's checkpoint thread: it copies the write-ahead log back while the writer goes on, the writer
/// finishes a log that a steady stream of commits never lets it catch up with, and nothing written is lost.
/// </summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private const int Step = 10;
    private const int PageBytes = 4096 + 24; // a WAL frame: the page and its header

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("switchyard-checkpoint-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string WalPath => Path.Combine(_directory, SqliteStoreOptions.FileName + "-wal");

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SteadyCommits_CheckpointedBeside_LogStaysSmall_NothingLost()
    {
        const int tasks = 1_200; // each commit a few pages: some 4,000 frames in all, four hundred steps of 10
        var store = Open(Durability.Process, Step);
        await store.InitializeAsync(Ct);
        var checkpointer = Assert.IsType<SqliteCheckpointer>(store.Checkpointer);
        var background = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        checkpointer.Checkpointed += () => background.TrySetResult();

        for (var i = 0; i < tasks; i++)
        {
            await EnqueueAsync(store, $"t{i}").WaitAsync(Bound, Ct);
        }

        await background.Task.WaitAsync(Bound, Ct);
        var (ranBeside, ranOnWriter) = store.CheckpointStats;
        Assert.True(ranBeside > 0);
        Assert.True(ranOnWriter > 0, "a steady stream of commits: the writer finished the log at least once");

        // A checkpoint beside a steady stream of commits never copies the whole log, so without the writer's finish it
        // never starts over (a first version's log grew to every frame written). The file keeps the largest size the
        // log reached: here far less than all that was written. (Not a fixed bound: while the checkpoint thread syncs
        // on a loaded machine, the writer's finish waits for it and the commits go on.)
        var (restarts, written) = checkpointer.Log;
        Assert.True(restarts > 0, $"the log never started over in {written} frames");
        var frames = new FileInfo(WalPath).Length / PageBytes;
        Assert.InRange(frames, 1, written - 1);

        await store.DisposeAsync();
        var reopened = Open(Durability.Process, Step);
        await using (reopened)
        {
            await reopened.InitializeAsync(Ct);
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, SqliteStoreOptions.FileName)};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(Ct);
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM tasks WHERE state = 'queued'";
            Assert.Equal(tasks, Convert.ToInt32(await count.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Fsync_LeavesCheckpointsToSqlite_ProcessTakesThemOver()
    {
        Assert.Equal(0, Options(Durability.Fsync, null).BackgroundCheckpointFrames);
        Assert.Equal(SqliteStoreOptions.CheckpointFramesDefault, Options(Durability.Process, null).BackgroundCheckpointFrames);
        Assert.Equal(0, Options(Durability.Process, 0).BackgroundCheckpointFrames);
        Assert.Equal(64, Options(Durability.Fsync, 64).BackgroundCheckpointFrames);

        var store = Open(Durability.Fsync, null);
        await using (store)
        {
            await store.InitializeAsync(Ct);
            Assert.Null(store.Checkpointer);
            await EnqueueAsync(store, "one").WaitAsync(Bound, Ct);
            Assert.Equal((0, 0), store.CheckpointStats);
        }
    }

    private SqliteStoreOptions Options(Durability durability, int? frames) =>
        new() { DataDirectory = _directory, Durability = durability, CheckpointFrames = frames };

    private SqliteTaskStore Open(Durability durability, int? frames) =>
        new(new SqliteDatabase(Options(durability, frames)), _time, NullLogger<SqliteTaskStore>.Instance);

    private async Task EnqueueAsync(SqliteTaskStore store, string id)
    {
        var now = _time.GetUtcNow();
        var payload = new JsonText($"\"{new string('x', 6_000)}{id}\"");
        var task = new TaskRecord { Id = id, Type = "t", State = TaskState.Queued, Payload = payload, CreatedAt = now, UpdatedAt = now };
        var outcome = await store.EnqueueAsync(new EnqueueRequest([task], new Dictionary<string, int>(), "test"), Ct);
        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
    }
}
