using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Model;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// A task's expiry reaches every node: the retention cleaner of one node (A here) deletes it and tells the others, whose
/// subscribers and waiters learn of it as A's do. Both engines run on one fake clock, moved past the result's lifetime.
/// </summary>
public sealed class ExpiryTests(SharedPostgres postgres)
    : TwoNodes(postgres, pollMs: 60_000, new FakeTimeProvider(TimeProvider.System.GetUtcNow())) // a long poll: what arrives came by notification
{
    private static readonly TimeSpan PastTheResultTtl = TimeSpan.FromMilliseconds(new EngineOptions().ResultTtlMs + 1);

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

    /// <summary>The events of <paramref name="subscription"/> up to <paramref name="marker"/>'s submit, without it.</summary>
    private static async Task<List<TaskEvent>> ReadUntilMarkerAsync(TaskEventSubscription subscription, string marker)
    {
        var seen = await ReadUntilAsync(subscription, events => events[^1].TaskId == marker);
        return seen[..^1];
    }
}
