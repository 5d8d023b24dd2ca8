using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Model;

namespace Switchyard.Cluster.Tests;

/// <summary>A dispatch pass whose claim fails in the store (here: the table is away) gives the worker its credits back.</summary>
public sealed class DispatchFailureTests(SharedPostgres postgres) : TwoNodes(postgres, pollMs: 1_000)
{
    [Fact]
    public async Task Pass_ClaimFailsInTheStore_CreditsGoBackAndTheNextPassPushes()
    {
        using var dispatcher = new PushDispatcher(A.Broker, Options.Create(new DispatchOptions()), NullLogger<PushDispatcher>.Instance);
        var link = new RecordingLink();
        var session = dispatcher.Register(new WorkerSpec("w-1", "test", ["default"], [], [], null, "ws"), link, 5);
        var id = await SubmitAsync(A);

        await ExecuteAsync("ALTER TABLE tasks RENAME TO tasks_away");
        await Assert.ThrowsAsync<PostgresException>(() => dispatcher.DispatchNowAsync(Ct).WaitAsync(Bound, Ct));
        Assert.Equal(5, session.Credits);

        await ExecuteAsync("ALTER TABLE tasks_away RENAME TO tasks");
        Assert.Equal(1, await dispatcher.DispatchNowAsync(Ct).WaitAsync(Bound, Ct));
        Assert.Equal([id], link.Pushed.Select(t => t.Id));
        Assert.Equal(4, session.Credits);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await A.Database.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private sealed class RecordingLink : IWorkerLink
    {
        public ConcurrentQueue<TaskRecord> Pushed { get; } = new();

        public bool TryPush(TaskRecord task)
        {
            Pushed.Enqueue(task);
            return true;
        }

        public void Cancel(string taskId, string reason)
        {
        }

        public void Quiet()
        {
        }

        public void Terminate(TimeSpan grace)
        {
        }
    }
}
