using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Tests;

public sealed class TaskEventTypesTests
{
    /// <summary>The event each row of the transition table publishes, written out by hand.</summary>
    private static readonly Dictionary<(TaskTrigger Trigger, TaskState To), string> Expected = new()
    {
        [(TaskTrigger.Submit, TaskState.Scheduled)] = "task.scheduled",
        [(TaskTrigger.Submit, TaskState.Blocked)] = "task.blocked",
        [(TaskTrigger.Submit, TaskState.Queued)] = "task.queued",
        [(TaskTrigger.Promote, TaskState.Queued)] = "task.queued",
        [(TaskTrigger.Release, TaskState.Queued)] = "task.queued",
        [(TaskTrigger.Release, TaskState.Scheduled)] = "task.scheduled",
        [(TaskTrigger.DependencyFailed, TaskState.Failed)] = "task.failed",
        [(TaskTrigger.DependencyFailed, TaskState.Cancelled)] = "task.cancelled",
        [(TaskTrigger.Claim, TaskState.Running)] = "task.started",
        [(TaskTrigger.Complete, TaskState.Completed)] = "task.completed",
        [(TaskTrigger.Complete, TaskState.Review)] = "task.review",
        [(TaskTrigger.Fail, TaskState.Queued)] = "task.retrying",
        [(TaskTrigger.Fail, TaskState.Scheduled)] = "task.retrying",
        [(TaskTrigger.Fail, TaskState.Failed)] = "task.failed",
        [(TaskTrigger.LeaseExpired, TaskState.Queued)] = "task.retrying",
        [(TaskTrigger.LeaseExpired, TaskState.Scheduled)] = "task.retrying",
        [(TaskTrigger.LeaseExpired, TaskState.Failed)] = "task.failed",
        [(TaskTrigger.Deadline, TaskState.Failed)] = "task.failed",
        [(TaskTrigger.Accept, TaskState.Completed)] = "task.accepted",
        [(TaskTrigger.Reject, TaskState.Queued)] = "task.rejected",
        [(TaskTrigger.Reject, TaskState.Failed)] = "task.failed",
        [(TaskTrigger.Cancel, TaskState.Cancelled)] = "task.cancelled",
        [(TaskTrigger.Retry, TaskState.Queued)] = "task.queued",
        [(TaskTrigger.Retry, TaskState.Blocked)] = "task.blocked",
    };

    public static TheoryData<int> TableRows() => new(Enumerable.Range(0, TaskTransitions.Table.Count));

    [Theory]
    [MemberData(nameof(TableRows))]
    public void Of_EveryTableRow_PublishesExpectedEvent(int row)
    {
        var (from, trigger, to) = TaskTransitions.Table[row];
        var move = new AppliedTransition(TestTasks.InState(to), from, trigger);

        Assert.True(Expected.TryGetValue((trigger, to), out var expected), $"no expected event for {trigger} -> {to}");
        Assert.Equal(expected, TaskEventTypes.Of(move));
    }

    [Fact]
    public void ExpectedEvents_EveryTableRow_Covered()
    {
        var table = TaskTransitions.Table.Select(t => (t.Trigger, t.To)).ToHashSet();

        Assert.Equal(table.Order(), Expected.Keys.Order());
    }

    [Fact]
    public void EventNames_Constants_AreStableWireNames()
    {
        string[] names =
        [
            TaskEventTypes.Queued, TaskEventTypes.Scheduled, TaskEventTypes.Blocked, TaskEventTypes.Started,
            TaskEventTypes.Progress, TaskEventTypes.Retrying, TaskEventTypes.Review, TaskEventTypes.Accepted,
            TaskEventTypes.Rejected, TaskEventTypes.Completed, TaskEventTypes.Failed, TaskEventTypes.Cancelled,
            TaskEventTypes.Expired,
        ];

        Assert.Equal(
            "task.queued task.scheduled task.blocked task.started task.progress task.retrying task.review task.accepted " +
            "task.rejected task.completed task.failed task.cancelled task.expired",
            string.Join(' ', names));
    }
}
