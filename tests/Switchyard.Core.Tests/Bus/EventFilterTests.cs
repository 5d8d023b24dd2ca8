using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using static Switchyard.Core.Tests.Bus.BusFixture;

namespace Switchyard.Core.Tests.Bus;

public sealed class EventFilterTests
{
    public static TheoryData<string, string> Aliases() => new()
    {
        { "task-queued", "task.queued" },
        { "task-started", "task.started" },
        { "task-progress", "task.progress" },
        { "task-completed", "task.completed" },
        { "task-failed", "task.failed" },
        { "task-cancelled", "task.cancelled" },
    };

    [Theory]
    [MemberData(nameof(Aliases))]
    public void Create_SeedAlias_MatchesItsType(string alias, string type)
    {
        var filter = EventFilter.Create([alias]).Value!;

        Assert.Equal([type], filter.Types!);
    }

    [Theory]
    [InlineData("task.*")]
    [InlineData("*")]
    public void Create_Wildcard_MatchesEveryType(string word)
    {
        var filter = EventFilter.Create([word, "task.completed"]).Value!;

        Assert.Null(filter.Types);
        Assert.Equal(string.Empty, filter.ToString());
    }

    [Theory]
    [InlineData("task.done")]
    [InlineData("completed")]
    [InlineData("task.comp*")]
    public void Create_UnknownType_RefusedNamingTheField(string word)
    {
        var outcome = EventFilter.Create([word]);

        Assert.False(outcome.IsSuccess);
        Assert.Equal(ErrorCodes.ValidationFailed, outcome.Error.Code);
        Assert.Contains("type", outcome.Error!.Errors!.Keys);
    }

    [Fact]
    public void Create_InvalidQueueOrEmptyTaskId_Refused()
    {
        Assert.Contains("queue", EventFilter.Create(queue: "bad queue").Error!.Errors!.Keys);
        Assert.Contains("taskId", EventFilter.Create(taskId: string.Empty).Error!.Errors!.Keys);
        Assert.Contains("project", EventFilter.Create(project: "a b").Error!.Errors!.Keys);
    }

    [Fact]
    public void Subscribe_EachFilter_DeliversOnlyMatchingEvents()
    {
        var time = new FakeTimeProvider(TestTasks.T0);
        using var hub = Hub(time);
        using var byType = hub.Subscribe(EventFilter.Create(["task-completed"]).Value!);
        using var byQueue = hub.Subscribe(EventFilter.Create(queue: "q2").Value!);
        using var byTask = hub.Subscribe(EventFilter.Create(taskId: "b").Value!);
        using var byCorrelation = hub.Subscribe(EventFilter.Create(correlationId: "conv-1").Value!);
        using var byScope = hub.Subscribe(EventFilter.Create(scope: "tenant-a").Value!);
        using var byProject = hub.Subscribe(EventFilter.Create(project: "switchyard").Value!);
        using var combined = hub.Subscribe(EventFilter.Create(["task.queued"], queue: "q2").Value!);

        hub.Publish(TaskEventTypes.Queued, Task("a", queue: "q1", correlationId: "conv-1"));
        hub.Publish(TaskEventTypes.Queued, Task("b", queue: "q2", scope: "tenant-a"));
        hub.Publish(TaskEventTypes.Completed, Task("a", TaskState.Completed, queue: "q1", correlationId: "conv-1"));
        hub.Publish(TaskEventTypes.Completed, Task("c", TaskState.Completed, queue: "q2",
            labels: new Dictionary<string, string> { ["project"] = "switchyard" }));

        Assert.Equal(["a", "c"], Read(byType).Select(e => e.TaskId));
        Assert.Equal(["b", "c"], Read(byQueue).Select(e => e.TaskId));
        Assert.Equal(["b"], Read(byTask).Select(e => e.TaskId));
        Assert.Equal(["a", "a"], Read(byCorrelation).Select(e => e.TaskId));
        Assert.Equal(["b"], Read(byScope).Select(e => e.TaskId));
        Assert.Equal(["c"], Read(byProject).Select(e => e.TaskId));
        Assert.Equal(["b"], Read(combined).Select(e => e.TaskId));
    }
}
