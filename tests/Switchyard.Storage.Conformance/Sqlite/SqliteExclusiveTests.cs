using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Storage.Conformance.Sqlite;

/// <summary>
/// One writer per database file: the store keeps task rows and counts in memory, so a second store on the same file
/// (another server started on the same data folder) is refused until the first closes.
/// </summary>
public sealed class SqliteExclusiveTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchyard-exclusive-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SecondStore_SameFileWhileTheFirstIsOpen_RefusedNamingTheLockThenOpensOnceItCloses()
    {
        var first = Store();
        await first.InitializeAsync(Ct);
        var now = _time.GetUtcNow();
        var task = new TaskRecord { Id = "kept", Type = "t", State = TaskState.Queued, Payload = new JsonText("1"), CreatedAt = now, UpdatedAt = now };
        Assert.True((await first.EnqueueAsync(new EnqueueRequest([task], new Dictionary<string, int>(), "test"), Ct)).IsSuccess);

        await using var second = Store();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => second.InitializeAsync(Ct));
        Assert.Contains("in use by another process", refused.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_directory, "switchyard.db.lock"), refused.Message, StringComparison.Ordinal);
        var migrating = Assert.Throws<InvalidOperationException>(() => Database().Migrate());
        Assert.Contains("in use by another process", migrating.Message, StringComparison.Ordinal);

        await first.DisposeAsync();
        await second.InitializeAsync(Ct);
        var claimed = await second.ClaimAsync(new ClaimRequest("w", ["default"], [], [], 10, null, 30_000), Ct);
        Assert.Equal("kept", Assert.Single(claimed.Claimed).Task.Id);
    }

    private SqliteDatabase Database() => new(new SqliteStoreOptions { DataDirectory = _directory });

    private SqliteTaskStore Store() => new(Database(), _time, NullLogger<SqliteTaskStore>.Instance);
}
