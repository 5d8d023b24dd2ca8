using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Maintenance;
using Switchyard.Core.Model;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// A task's expiry reaches every node: the retention cleaner of one node (A here) deletes it and tells the others, whose
/// subscribers and waiters learn of it as A's do. Both engines run on one fake clock, moved past the result's lifetime.
/// </summary>
public sealed class ExpiryTests(SharedPostgres postgres)
    : TwoNodes(postgres, pollMs: 60_000, new FakeTimeProvider(TimeProvider.System.GetUtcNow())) // a long poll: what arrives came by notification
{
    private static readonly TimeSpan PastTheResultTtl = TimeSpan.FromMilliseconds(new EngineOptions().ResultTtlMs + 1);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(MaintenanceOptions.RetentionSweepMsDefault);

    private FakeTimeProvider Time => (FakeTimeProvider)Clock;

    [Fact]
    public async Task Expiry_SweptOnA_SubscribersOnBothNodesSeeTaskExpiredOnceAfterTheTasksEnd()
    {
        using var onA = A.Hub.Subscribe();
        using var onB = B.Hub.Subscribe();
        var id = await SubmitAsync(B, "{\"n\":1}");
        Assert.True((await B.Broker.CancelAsync(id, "enough", "tester", Ct)).IsSuccess);
        string[] ended = [TaskEventTypes.Queued, TaskEventTypes.Cancelled];
        Assert.Equal(ended, (await ReadAsync(onA, 2)).Select(e => e.Type));
        Assert.Equal(ended, (await ReadAsync(onB, 2)).Select(e => e.Type));

        Time.Advance(PastTheResultTtl);
        Assert.Equal(1, await A.Broker.PurgeExpiredAsync(100, Ct)); // what A's retention cleaner runs when A leads it
        var marker = await SubmitAsync(A);

        foreach (var seen in new[] { await ReadUntilMarkerAsync(onB, marker), await ReadUntilMarkerAsync(onA, marker) })
        {
            var expired = Assert.Single(seen, e => e.Type == TaskEventTypes.Expired);
            Assert.Equal((id, TaskState.Cancelled), (expired.TaskId, expired.Data.State));
            Assert.Equal(Time.GetUtcNow(), expired.Time); // when it was deleted, not when it finished
            Assert.Equal(TaskEventTypes.Expired, seen[0].Type);
        }

        Assert.Null(await B.Broker.GetAsync(id, Ct));
    }

    [Fact]
    public async Task Wait_OnB_WhoseEndNoticeWasLost_IsWokenByTheExpiryWithTheFinalState()
    {
        B.Bus.ArrivalFilter = _ => false; // B hears no move from now on (and its polling fallback is a minute away)
        using var onB = B.Hub.Subscribe();
        var id = await SubmitAsync(A, "{\"n\":2}");
        using var registration = B.Broker.Waiters.Register(id);
        var known = await B.Broker.GetAsync(id, Ct);
        Assert.Equal(TaskState.Queued, known?.State);
        var waiting = B.Broker.WaitAsync(registration, known!, Timeout.InfiniteTimeSpan, Ct);
        Assert.True((await A.Broker.CancelAsync(id, "enough", "tester", Ct)).IsSuccess);

        Time.Advance(PastTheResultTtl);
        Assert.Equal(1, await A.Broker.PurgeExpiredAsync(100, Ct));

        var settled = await waiting.WaitAsync(Bound, Ct);
        Assert.Equal((id, TaskState.Cancelled), (settled.Id, settled.State));
        var expired = Assert.Single(await ReadAsync(onB, 1));
        Assert.Equal((TaskEventTypes.Expired, id), (expired.Type, expired.TaskId));
    }

    [Fact]
    public async Task Retention_TicksOnBothNodes_OnlyTheLeaderSweeps_AndTheOthersSubscribersSeeTheExpiry()
    {
        await using var leadsA = await Running<PgLeadership>.StartAsync(Leadership(A), Ct);
        await Leaders.UntilAsync(() => leadsA.Service.Holds(LeaderRoles.RetentionCleaner), Bound, Ct, leadsA.Service);
        await using var leadsB = await Running<PgLeadership>.StartAsync(Leadership(B), Ct);
        var looksOnB = new LooksCounted(leadsB.Service);
        using var onB = B.Hub.Subscribe();
        var id = await SubmitAsync(B);
        Assert.True((await B.Broker.CancelAsync(id, null, "tester", Ct)).IsSuccess);
        Assert.Equal(TaskEventTypes.Cancelled, (await ReadAsync(onB, 2))[1].Type);

        await using (await Running<RetentionCleaner>.StartAsync(Cleaner(B, looksOnB), Ct))
        {
            Time.Advance(PastTheResultTtl);
            await looksOnB.Looked.WaitAsync(Bound, Ct);
            Time.Advance(Interval);
            await looksOnB.Looked.WaitAsync(Bound, Ct); // the first tick's turn (and any sweep of it) is over
            Assert.Equal(1L, await CountAsync(id)); // not the leader: B's cleaner left it
        }

        await using (await Running<RetentionCleaner>.StartAsync(Cleaner(A, leadsA.Service), Ct))
        {
            Time.Advance(Interval);
            var expired = Assert.Single(await ReadAsync(onB, 1));
            Assert.Equal((TaskEventTypes.Expired, id), (expired.Type, expired.TaskId));
        }

        Assert.Equal(0L, await CountAsync(id));
    }

    private static PgLeadership Leadership(ClusterNode node) =>
        new(node.Database, node.Bus, TimeProvider.System, NullLogger<PgLeadership>.Instance);

    private static RetentionCleaner Cleaner(ClusterNode node, ILeadership leadership) =>
        new(node.Broker, Options.Create(new MaintenanceOptions()), NullLogger<RetentionCleaner>.Instance, leadership);

    /// <summary>Rows of <paramref name="id"/> in the tasks table, expired or not.</summary>
    private async Task<long> CountAsync(string id)
    {
        await using var connection = await A.Database.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM tasks WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>A node's leadership whose every look at the retention cleaner's role is signalled (a sweep follows a look that holds it).</summary>
    private sealed class LooksCounted(ILeadership inner) : ILeadership
    {
        private readonly Channel<bool> _looks = Channel.CreateUnbounded<bool>();

        public IReadOnlyList<string> Held => inner.Held;

        public Task Changed => inner.Changed;

        /// <summary>Completes at the next look not yet waited for.</summary>
        public Task Looked => _looks.Reader.ReadAsync().AsTask();

        public bool Holds(string role)
        {
            var holds = inner.Holds(role);
            _looks.Writer.TryWrite(holds);
            return holds;
        }
    }

    /// <summary>The events of <paramref name="subscription"/> up to <paramref name="marker"/>'s submit, without it.</summary>
    private static async Task<List<TaskEvent>> ReadUntilMarkerAsync(TaskEventSubscription subscription, string marker)
    {
        var seen = await ReadUntilAsync(subscription, events => events[^1].TaskId == marker);
        return seen[..^1];
    }
}
