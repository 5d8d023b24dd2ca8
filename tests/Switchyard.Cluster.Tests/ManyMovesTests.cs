using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Conformance.Postgres;
using Switchyard.Storage.Postgres;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// Moves written with the transaction's COMMIT in the same round trip (claims, batches of worker reports): committed
/// when every compare-and-set holds, nothing committed when one fails.
/// </summary>
public sealed class ManyMovesTests(SharedPostgres postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private PostgresNodes _nodes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresDatabase Database => _nodes[0].Database;

    private DateTimeOffset Now => _nodes.Time.GetUtcNow();

    public async ValueTask InitializeAsync() =>
        _nodes = await PostgresNodes.StartAsync(postgres.Cluster, 1, new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)), Ct);

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    [Fact]
    public async Task RunAsync_WithCommitEveryCompareAndSetHolds_Committed()
    {
        var (seq, task) = await EnqueueAsync("held");
        await using (var connection = await Database.OpenAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            var claim = TaskMoves.Claim(task, "w-1", 1, 30_000, Now);
            var ids = await PgManyMoves.RunAsync(connection, transaction, [new PgWrite(seq, claim, "w-1", null)], commit: true, Ct).WaitAsync(Bound, Ct);
            Assert.NotNull(ids);
            await Assert.ThrowsAsync<InvalidOperationException>(() => transaction.CommitAsync(Ct)); // nothing left to commit
        }

        Assert.Equal(("running", 2L), await StateAndHistoryAsync(seq));
    }

    [Fact]
    public async Task RunAsync_WithCommitACompareAndSetFails_NothingCommitted()
    {
        var (seq, task) = await EnqueueAsync("refused");
        var (other, otherTask) = await EnqueueAsync("other");
        await using (var connection = await Database.OpenAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            var now = Now;
            var complete = TaskMoves.Complete(task with { State = TaskState.Running }, new JsonText("1"), 60_000, now); // expects running: the row is queued
            var claim = TaskMoves.Claim(otherTask, "w-1", 1, 30_000, now);
            var error = await Assert.ThrowsAsync<PostgresException>(() => PgManyMoves.RunAsync(
                connection, transaction, [new PgWrite(other, claim, "w-1", null), new PgWrite(seq, complete, "w-1", null)], commit: true, Ct).WaitAsync(Bound, Ct));
            Assert.Contains($"compare-and-set failed for task seq {seq}", error.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(("queued", 1L), await StateAndHistoryAsync(seq));
        Assert.Equal(("queued", 1L), await StateAndHistoryAsync(other)); // the move that held went with the one that failed
    }

    private async Task<(long Seq, TaskRecord Task)> EnqueueAsync(string id)
    {
        var task = (await _nodes.EnqueueAsync(_nodes[0].Store, "default", 1, Ct, prefix: id))[0];
        await using var connection = await Database.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT seq FROM tasks WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", task.Id);
        return ((long)(await command.ExecuteScalarAsync(Ct))!, task);
    }

    private async Task<(string State, long History)> StateAndHistoryAsync(long seq)
    {
        await using var connection = await Database.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT t.state, (SELECT count(*) FROM task_history h WHERE h.task_seq = t.seq) FROM tasks t WHERE t.seq = @seq", connection);
        command.Parameters.AddWithValue("seq", seq);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        return (reader.GetString(0), reader.GetInt64(1));
    }
}
