using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Storage.Conformance.Sqlite;

/// <summary>
/// The embedded store's single writer: a caller that finds it idle runs its own transaction, callers that find it
/// busy queue for its thread, and both kinds of transaction take turns; the conformance suite covers what they write.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("switchyard-writer-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteTaskStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteTaskStore(new SqliteDatabase(new SqliteStoreOptions { DataDirectory = _directory }), _time,
            NullLogger<SqliteTaskStore>.Instance);
        await _store.InitializeAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task OneCallerAtATime_RunsEachTransactionItself()
    {
        var before = _store.WriterStats;

        for (var i = 0; i < 20; i++)
        {
            await EnqueueAsync($"t{i}").WaitAsync(Bound, Ct);
        }

        var after = _store.WriterStats;
        Assert.Equal(20, after.Transactions - before.Transactions);
        Assert.Equal(20, after.RunByCallers - before.RunByCallers);
    }

    [Fact]
    public async Task ManyCallersAtOnce_EveryTaskCompletedOnce()
    {
        const int callers = 32;
        const int cycles = 50;
        var completed = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var claim = new ClaimRequest($"w{c}", ["default"], [], [], 1, null, 30_000);
            for (var i = 0; i < cycles; i++)
            {
                await EnqueueAsync($"c{c}-{i}");
                foreach (var claimed in (await _store.ClaimAsync(claim, Ct)).Claimed)
                {
                    await CompleteAsync(claimed, completed);
                }
            }
        }, Ct))).WaitAsync(Bound, Ct);

        // A claim may have found the queue empty while another caller's task was on its way: finish what is left.
        var last = new ClaimRequest("last", ["default"], [], [], 100, null, 30_000);
        while ((await _store.ClaimAsync(last, Ct).WaitAsync(Bound, Ct)).Claimed is { Count: > 0 } rest)
        {
            foreach (var claimed in rest)
            {
                await CompleteAsync(claimed, completed);
            }
        }

        Assert.Equal(callers * cycles, completed.Count);
        Assert.All(completed.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Dispose_WhileCallersRunTheirOwnTransactionsAndOthersQueue_FinishesEveryTime()
    {
        // Closing raced the thread waiting for a caller that ran its own transaction: the caller saw the writer closed and
        // did not wake the thread, which then waited forever (a server's stop hung in CI). Many rounds, since the window
        // is narrow; each must close within the bound.
        for (var round = 0; round < 40; round++)
        {
            var directory = Directory.CreateTempSubdirectory("switchyard-writer-close-").FullName;
            var store = new SqliteTaskStore(new SqliteDatabase(new SqliteStoreOptions { DataDirectory = directory, Durability = Durability.Process }),
                _time, NullLogger<SqliteTaskStore>.Instance);
            await store.InitializeAsync(Ct);
            var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var callers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
            {
                for (var i = 0; ; i++)
                {
                    try
                    {
                        await EnqueueAsync(store, $"r{round}-c{c}-{i}");
                    }
                    catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
                    {
                        return; // closed
                    }

                    if (i == 20)
                    {
                        busy.TrySetResult();
                    }
                }
            }, Ct)).ToArray();

            await busy.Task.WaitAsync(Bound, Ct);
            await store.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
            await Task.WhenAll(callers).WaitAsync(Bound, Ct);
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task CompleteAsync(AppliedTransition claimed, System.Collections.Concurrent.ConcurrentDictionary<string, int> completed)
    {
        var done = await _store.CompleteAsync(
            new CompleteRequest(claimed.Task.Id, claimed.Task.Lease!.Token, new JsonText("1"), 60_000, null), Ct);
        Assert.True(done.IsSuccess, done.Error?.Message);
        completed.AddOrUpdate(claimed.Task.Id, 1, (_, n) => n + 1);
    }

    private Task EnqueueAsync(string id) => EnqueueAsync(_store, id);

    private async Task EnqueueAsync(SqliteTaskStore store, string id)
    {
        var now = _time.GetUtcNow();
        var task = new TaskRecord { Id = id, Type = "t", State = TaskState.Queued, Payload = new JsonText("1"), CreatedAt = now, UpdatedAt = now };
        var outcome = await store.EnqueueAsync(new EnqueueRequest([task], new Dictionary<string, int>(), "test"), Ct);
        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
    }
}
