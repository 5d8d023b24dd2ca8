using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using static Switchyard.Core.Tests.Bus.BusFixture;

namespace Switchyard.Core.Tests.Bus;

public sealed class TaskEventHubTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Publish_Sequence_AssignedByBusIncreasingFromNodeStart()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        using var subscription = hub.Subscribe();

        var first = hub.Publish(TaskEventTypes.Queued, Task("a"));
        var second = hub.Publish(TaskEventTypes.Queued, Task("b"));

        Assert.Equal((TestTasks.T0.ToUnixTimeSeconds() << 20) + 1, first.Seq);
        Assert.Equal(first.Seq + 1, second.Seq);
        Assert.Equal(second.Seq, hub.LastSeq);
        Assert.Equal([first, second], Read(subscription));
    }

    [Fact]
    public void Publish_AfterRestartOneSecondLater_SequenceKeepsIncreasing()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        long last;
        using (var before = Hub(time))
        {
            for (var i = 0; i < 1000; i++)
            {
                before.Publish(TaskEventTypes.Queued, Task($"t{i}"));
            }

            last = before.LastSeq;
        }

        time.Advance(TimeSpan.FromSeconds(1));
        using var after = Hub(time);

        Assert.True(after.Publish(TaskEventTypes.Queued, Task("x")).Seq > last);
    }

    [Fact]
    public async Task Publish_ConcurrentPublishersManySubscribers_EverySubscriberSeesEachTaskInOrder()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        var subscriptions = Enumerable.Range(0, 8).Select(_ => hub.Subscribe()).ToArray();
        string[] steps = [TaskEventTypes.Queued, TaskEventTypes.Started, TaskEventTypes.Completed];
        const int tasksPerPublisher = 500;

        var readers = subscriptions.Select(s => System.Threading.Tasks.Task.Run(async () =>
        {
            var seen = new List<TaskEvent>();
            while (seen.Count < 4 * tasksPerPublisher * steps.Length)
            {
                await s.WaitToReadAsync(Timeout.InfiniteTimeSpan, Ct).WaitAsync(Bound, Ct);
                while (s.TryRead(out var item))
                {
                    seen.Add(item.Event!);
                }
            }

            return seen;
        }, Ct)).ToArray();
        await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 4).Select(p => System.Threading.Tasks.Task.Run(() =>
        {
            for (var i = 0; i < tasksPerPublisher; i++)
            {
                foreach (var step in steps)
                {
                    hub.Publish(step, Task($"p{p}-{i}"));
                }
            }
        }, Ct)));

        foreach (var seen in await System.Threading.Tasks.Task.WhenAll(readers).WaitAsync(Bound, Ct))
        {
            Assert.Equal(seen.Select(e => e.Seq).Order(), seen.Select(e => e.Seq));
            Assert.All(seen.GroupBy(e => e.TaskId), g => Assert.Equal(steps, g.Select(e => e.Type)));
        }

        foreach (var s in subscriptions)
        {
            s.Dispose();
        }

        Assert.Equal(0, hub.SubscriberCount);
    }

    [Fact]
    public async Task WaitToReadAsync_NothingPublished_TimesOutOnTheBusClock()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        using var subscription = hub.Subscribe();

        var waiting = subscription.WaitToReadAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(15));

        Assert.False(await waiting.WaitAsync(Bound, Ct));
    }

    [Fact]
    public async Task WaitToReadAsync_EventPublishedWhileWaiting_Wakes()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        using var subscription = hub.Subscribe();
        var waiting = subscription.WaitToReadAsync(Timeout.InfiniteTimeSpan, Ct);

        hub.Publish(TaskEventTypes.Queued, Task("a"));

        Assert.True(await waiting.WaitAsync(Bound, Ct));
        Assert.Equal("a", Assert.Single(Read(subscription)).TaskId);
    }

    [Fact]
    public void Publish_Summary_CarriesResultReasonAndNeverThePayload()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);

        var completed = hub.Publish(TaskEventTypes.Completed, Task("a", TaskState.Completed) with { Payload = new JsonText("{\"secret\":1}") });
        var cancelled = hub.Publish(TaskEventTypes.Cancelled, Task("b", TaskState.Cancelled), "no longer needed");
        var failed = hub.Publish(TaskEventTypes.Failed, Task("c", TaskState.Failed) with { Error = new TaskError("boom", "it broke", ErrorKind.Fatal) });

        Assert.Equal("{\"ok\":true}", completed.Data.Result?.Raw);
        Assert.Equal("no longer needed", cancelled.Data.Reason);
        Assert.Equal("boom", failed.Data.Error?.Code);
        Assert.Null(failed.Data.Result);
    }

    [Fact]
    public void Publish_ResultLongerThanLimit_LeftOutAndMarked()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = new TaskEventHub(Microsoft.Extensions.Options.Options.Create(new EventBusOptions { MaxResultChars = 5 }), time);

        var e = hub.Publish(TaskEventTypes.Completed, Task("a", TaskState.Completed));

        Assert.Null(e.Data.Result);
        Assert.True(e.Data.ResultOmitted);
    }

    [Fact]
    public void Stats_AfterPublishing_CountsPerTypeAndSubscribers()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        using var subscription = hub.Subscribe(transport: "test");
        hub.Publish(TaskEventTypes.Queued, Task("a"));
        hub.Publish(TaskEventTypes.Queued, Task("b"));
        hub.Publish(TaskEventTypes.Started, Task("a", TaskState.Running));

        var stats = hub.Stats();

        Assert.Equal(2, stats.Published[TaskEventTypes.Queued]);
        Assert.Equal(1, stats.Published[TaskEventTypes.Started]);
        var subscriber = Assert.Single(stats.Subscribers);
        Assert.Equal(("test", 3L), (subscriber.Transport, subscriber.Lag));
    }

    [Fact]
    public async Task DeliveryLatency_ReplayedOnResume_NotCounted_LiveEventCounted()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        hub.Publish(TaskEventTypes.Queued, Task("old"));
        time.Advance(TimeSpan.FromMinutes(5));

        using var resumed = hub.Subscribe(afterSeq: hub.Stats().OldestSeq - 1);
        Assert.True(await resumed.WaitToReadAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Single(Read(resumed)); // the five-minute-old event, replayed
        Assert.Equal(0, hub.Stats().DeliveryLatency.Samples);

        hub.Publish(TaskEventTypes.Queued, Task("new"));
        time.Advance(TimeSpan.FromMilliseconds(3));
        Assert.True(await resumed.WaitToReadAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Single(Read(resumed));
        var latency = hub.Stats().DeliveryLatency;
        Assert.Equal(1, latency.Samples);
        Assert.True(latency.MaxMs < 1_000, $"max {latency.MaxMs} ms");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16_777_217)]
    public void Constructor_CapacityOutOfRange_Refused(int capacity)
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Hub(new FakeTimeProvider(), capacity));
    }
}
