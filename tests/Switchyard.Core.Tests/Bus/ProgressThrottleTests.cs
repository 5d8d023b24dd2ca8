using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using static Switchyard.Core.Tests.Bus.BusFixture;

namespace Switchyard.Core.Tests.Bus;

public sealed class ProgressThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static TaskProgress Percent(double percent) => new(percent, null, null);

    [Fact]
    public void ReportProgress_BurstWithinInterval_FirstAtOnceThenOnlyTheNewestAfterInterval()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        hub.Publish(TaskEventTypes.Started, Task("a", TaskState.Running, queue: "q1", leaseToken: 5));
        using var subscription = hub.Subscribe(EventFilter.Create(["task-progress"]).Value!);

        for (var i = 1; i <= 20; i++)
        {
            Assert.True(hub.ReportProgress("a", 5, Percent(i)));
        }

        var first = Assert.Single(Read(subscription));
        Assert.Equal(1, first.Data.Progress?.Percent);
        Assert.Equal(("q1", TaskState.Running), (first.Data.Queue, first.Data.State));

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Empty(Read(subscription));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(20, Assert.Single(Read(subscription)).Data.Progress?.Percent);
    }

    [Fact]
    public void ReportProgress_OverOneSecondOfConstantReports_TenPerSecondAndTheLastOneArrives()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        hub.Publish(TaskEventTypes.Started, Task("a", TaskState.Running));
        using var subscription = hub.Subscribe(EventFilter.Create(["task.progress"]).Value!);

        for (var ms = 0; ms < 1000; ms += 5)
        {
            hub.ReportProgress("a", 1, Percent(ms));
            time.Advance(TimeSpan.FromMilliseconds(5));
        }

        time.Advance(Interval);
        var events = Read(subscription);
        Assert.Equal(10, events.Count(e => e.Time < TestTasks.T0.AddSeconds(1)));
        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.Second.Time - pair.First.Time >= Interval));
        Assert.Equal(995, events[^1].Data.Progress?.Percent);
    }

    [Fact]
    public void ReportProgress_HeldWhenTaskCompletes_PublishedJustBeforeCompletion()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        hub.Publish(TaskEventTypes.Started, Task("a", TaskState.Running));
        using var subscription = hub.Subscribe(EventFilter.Create(taskId: "a").Value!);
        hub.ReportProgress("a", 1, Percent(10));
        hub.ReportProgress("a", 1, Percent(99));

        hub.Publish(TaskEventTypes.Completed, Task("a", TaskState.Completed));
        time.Advance(Interval * 2);

        Assert.Equal(
            [(TaskEventTypes.Progress, 10.0), (TaskEventTypes.Progress, 99.0), (TaskEventTypes.Completed, 0.0)],
            Read(subscription).Select(e => (e.Type, e.Data.Progress?.Percent ?? 0)));
        Assert.True(hub.ReportProgress("a", 1, Percent(100)) is false);
    }

    [Fact]
    public void ReportProgress_SameValueTwice_PublishedOnce()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        hub.Publish(TaskEventTypes.Started, Task("a", TaskState.Running));
        using var subscription = hub.Subscribe(EventFilter.Create(["task.progress"]).Value!);

        hub.ReportProgress("a", 1, Percent(50));
        time.Advance(Interval);
        hub.ReportProgress("a", 1, Percent(50));
        time.Advance(Interval);

        Assert.Single(Read(subscription));
    }

    [Fact]
    public void ReportProgress_StaleLeaseOrUnknownTask_NotPublished()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        hub.Publish(TaskEventTypes.Started, Task("a", TaskState.Running, leaseToken: 2));
        using var subscription = hub.Subscribe();

        Assert.True(hub.ReportProgress("a", 1, Percent(50)));
        Assert.False(hub.ReportProgress("unknown", 1, Percent(50)));

        Assert.Empty(Read(subscription));
    }

    [Fact]
    public void Track_TaskFoundRunning_ProgressPublishedWithItsSummary()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        using var subscription = hub.Subscribe();

        hub.Track(Task("restarted", TaskState.Running, queue: "q9", leaseToken: 3));

        Assert.True(hub.ReportProgress("restarted", 3, Percent(5)));
        Assert.Equal("q9", Assert.Single(Read(subscription)).Data.Queue);
    }

    [Fact]
    public void ForgetIdle_SilentLongerThanLimit_Forgotten()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        hub.Publish(TaskEventTypes.Started, Task("a", TaskState.Running));

        time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(1, hub.ForgetIdle(TimeSpan.FromHours(1)));
        Assert.False(hub.ReportProgress("a", 1, Percent(1)));
    }
}
