using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Events;
using static Switchyard.Core.Tests.Bus.BusFixture;

namespace Switchyard.Core.Tests.Bus;

public sealed class RingOverflowTests
{
    private const int Capacity = 16;

    [Fact]
    public void TryRead_ReaderMoreThanRingBehind_DroppedWithNoticeOfHowFar()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time, Capacity);
        using var slow = hub.Subscribe(transport: "slow");
        using var fast = hub.Subscribe();
        var first = hub.Publish(TaskEventTypes.Queued, Task("t0"));
        Assert.Single(Read(fast));
        for (var i = 1; i < 40; i++)
        {
            hub.Publish(TaskEventTypes.Queued, Task($"t{i}"));
            Assert.Single(Read(fast));
        }

        var items = Drain(slow);

        var notice = Assert.Single(items).Notice!;
        Assert.Equal(EventNotice.Dropped, notice.Type);
        Assert.Equal(40, notice.Behind);
        Assert.Equal(first.Seq - 1, notice.Seq);
        Assert.Contains("40 events behind", notice.Message, StringComparison.Ordinal);
        Assert.True(slow.IsCompleted);
        Assert.False(fast.IsCompleted);
        Assert.Equal(1, hub.Stats().DroppedSubscribers);
    }

    [Fact]
    public void DropStalled_ReaderMoreThanRingBehind_SignalsOnlyIt()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time, Capacity);
        using var stalled = hub.Subscribe();
        for (var i = 0; i < Capacity; i++)
        {
            hub.Publish(TaskEventTypes.Queued, Task($"t{i}"));
        }

        using var keepingUp = hub.Subscribe();
        Assert.Equal(0, hub.DropStalled());
        hub.Publish(TaskEventTypes.Queued, Task("one-too-many"));

        Assert.Equal(1, hub.DropStalled());
        Assert.True(stalled.Stalled.IsCancellationRequested);
        Assert.False(keepingUp.Stalled.IsCancellationRequested);
        Assert.Equal(EventNotice.Dropped, Assert.Single(Drain(stalled)).Notice?.Type);
    }

    [Fact]
    public void Subscribe_ResumeWithinRing_ReplaysFromTheNextEvent()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time, Capacity);
        var published = Enumerable.Range(0, 5).Select(i => hub.Publish(TaskEventTypes.Queued, Task($"t{i}"))).ToArray();

        using var resumed = hub.Subscribe(afterSeq: published[1].Seq);

        Assert.Equal(published[2..].Select(e => e.Seq), Read(resumed).Select(e => e.Seq));
    }

    [Fact]
    public void Subscribe_ResumeAtLatest_NothingToReplay()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time, Capacity);
        var last = hub.Publish(TaskEventTypes.Queued, Task("a"));

        using var resumed = hub.Subscribe(afterSeq: last.Seq);
        var next = hub.Publish(TaskEventTypes.Queued, Task("b"));

        Assert.Equal([next.Seq], Read(resumed).Select(e => e.Seq));
    }

    [Fact]
    public void Subscribe_ResumeOlderThanRing_LostNoticeThenOldestHeld()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time, Capacity);
        var published = Enumerable.Range(0, 40).Select(i => hub.Publish(TaskEventTypes.Queued, Task($"t{i}"))).ToArray();

        using var resumed = hub.Subscribe(afterSeq: published[2].Seq);
        var items = Drain(resumed);

        var notice = items[0].Notice!;
        Assert.Equal(EventNotice.Lost, notice.Type);
        Assert.Equal(published[3].Seq, notice.Requested);
        Assert.Equal(published[40 - Capacity].Seq, notice.ResumedAt);
        Assert.Equal(40 - Capacity - 3, notice.Missed);
        Assert.Equal(notice.ResumedAt - 1, notice.Seq);
        Assert.Equal(published[(40 - Capacity)..].Select(e => e.Seq), items.Skip(1).Select(i => i.Event!.Seq));
        Assert.Equal(40 - Capacity - 3, hub.Stats().LostEvents);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue - 1)]
    public void Subscribe_ResumeFromAnIdThisNodeNeverHad_LostWithUnknownCountThenEverythingHeld(long afterSeq)
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time, Capacity);
        var published = Enumerable.Range(0, 3).Select(i => hub.Publish(TaskEventTypes.Queued, Task($"t{i}"))).ToArray();

        using var resumed = hub.Subscribe(afterSeq: afterSeq);
        var items = Drain(resumed);

        Assert.Equal(EventNotice.Lost, items[0].Notice?.Type);
        Assert.Null(items[0].Notice!.Missed);
        Assert.Equal(published.Select(e => e.Seq), items.Skip(1).Select(i => i.Event!.Seq));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue - 1)]
    public void Subscribe_SharedStoreResumeFromAnotherNodesId_LostThenOnlyLiveEvents(long afterSeq)
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time, Capacity, shared: true);
        var before = Enumerable.Range(0, 3).Select(i => hub.Publish(TaskEventTypes.Queued, Task($"t{i}"))).ToArray();

        using var resumed = hub.Subscribe(afterSeq: afterSeq);
        var after = hub.Publish(TaskEventTypes.Queued, Task("later"));
        var items = Drain(resumed);

        var notice = items[0].Notice!;
        Assert.Equal(EventNotice.Lost, notice.Type);
        Assert.Null(notice.Missed);
        Assert.Equal(before[^1].Seq, notice.Seq);
        Assert.Equal(after.Seq, notice.ResumedAt);
        Assert.Contains("not one of this node's", notice.Message, StringComparison.Ordinal);
        Assert.Equal([after.Seq], items.Skip(1).Select(i => i.Event!.Seq));
    }

    [Fact]
    public void Subscribe_SharedStoreResumeOlderThanRing_StillReplaysWhatItHolds()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time, Capacity, shared: true);
        var published = Enumerable.Range(0, 40).Select(i => hub.Publish(TaskEventTypes.Queued, Task($"t{i}"))).ToArray();

        using var resumed = hub.Subscribe(afterSeq: published[2].Seq);
        var items = Drain(resumed);

        Assert.Equal(40 - Capacity - 3, items[0].Notice!.Missed);
        Assert.Equal(published[(40 - Capacity)..].Select(e => e.Seq), items.Skip(1).Select(i => i.Event!.Seq));
    }
}
