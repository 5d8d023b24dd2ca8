using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Core.Tests;

public sealed class TaskWaitersTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Register_NotifyBetweenReadAndAwait_NotMissed()
    {
        var waiters = new TaskWaiters();
        using var registration = waiters.Register("task-1");
        var read = TestTasks.InState(TaskState.Running);
        Assert.False(TaskWaiters.IsSettled(read.State));

        // The result lands after the caller read "running" but before it started awaiting.
        var completed = TestTasks.InState(TaskState.Completed);
        waiters.Notify(completed);

        var settled = await registration.Settled.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Same(completed, settled);
        Assert.Equal(0, waiters.Count);
    }

    [Theory]
    [InlineData(TaskState.Review)]
    [InlineData(TaskState.Completed)]
    [InlineData(TaskState.Failed)]
    [InlineData(TaskState.Cancelled)]
    public async Task Notify_SettledState_CompletesEveryWaiterOfTheTask(TaskState state)
    {
        var waiters = new TaskWaiters();
        using var first = waiters.Register("task-1");
        using var second = waiters.Register("task-1");

        waiters.Notify(TestTasks.InState(state));

        Assert.Equal(state, (await first.Settled.WaitAsync(Bound, TestContext.Current.CancellationToken)).State);
        Assert.Equal(state, (await second.Settled.WaitAsync(Bound, TestContext.Current.CancellationToken)).State);
    }

    [Theory]
    [InlineData(TaskState.Scheduled)]
    [InlineData(TaskState.Blocked)]
    [InlineData(TaskState.Queued)]
    [InlineData(TaskState.Running)]
    public void Notify_UnsettledState_LeavesWaiterWaiting(TaskState state)
    {
        var waiters = new TaskWaiters();
        using var registration = waiters.Register("task-1");

        waiters.Notify(TestTasks.InState(state));

        Assert.False(registration.Settled.IsCompleted);
        Assert.Equal(1, waiters.Count);
    }

    [Theory]
    [InlineData(TaskState.Scheduled)]
    [InlineData(TaskState.Blocked)]
    [InlineData(TaskState.Queued)]
    public async Task Notify_Stopping_TaskOnNoWorker_EndsTheWaitWithTheTaskAsItIs(TaskState state)
    {
        var waiters = new TaskWaiters();
        using var registration = waiters.Register("task-1");

        waiters.Stop(_ => true);
        var task = TestTasks.InState(state);
        waiters.Notify(task);

        Assert.True(waiters.Stopping);
        Assert.Same(task, await registration.Settled.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal(0, waiters.Count);
    }

    [Fact]
    public void Notify_Stopping_TaskItsOwnWorkerRuns_LeavesWaiterWaitingForTheWorkersReport()
    {
        var waiters = new TaskWaiters();
        using var registration = waiters.Register("task-1");

        waiters.Stop(task => task.Id == "task-1");
        waiters.Notify(TestTasks.InState(TaskState.Running));

        Assert.False(registration.Settled.IsCompleted);
        Assert.False(waiters.Ends(TestTasks.InState(TaskState.Running)));
        Assert.True(waiters.Ends(TestTasks.InState(TaskState.Queued)));
        Assert.True(waiters.Ends(TestTasks.InState(TaskState.Running) with { Id = "held-elsewhere" }));
    }

    [Fact]
    public void Notify_OtherTask_LeavesWaiterWaiting()
    {
        var waiters = new TaskWaiters();
        using var registration = waiters.Register("task-1");

        waiters.Notify(TestTasks.InState(TaskState.Completed) with { Id = "task-2" });

        Assert.False(registration.Settled.IsCompleted);
    }

    [Fact]
    public void Dispose_Registration_RemovesOnlyItself()
    {
        var waiters = new TaskWaiters();
        var gone = waiters.Register("task-1");
        using var kept = waiters.Register("task-1");

        gone.Dispose();
        waiters.Notify(TestTasks.InState(TaskState.Completed));

        Assert.False(gone.Settled.IsCompleted);
        Assert.True(kept.Settled.IsCompletedSuccessfully);
        Assert.Equal(0, waiters.Count);
    }

    [Fact]
    public void Dispose_LastRegistration_LeavesNothingBehind()
    {
        var waiters = new TaskWaiters();

        waiters.Register("task-1").Dispose();

        Assert.Equal(0, waiters.Count);
    }
}
