using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Tests;

/// <summary>Every <see cref="TaskMoves"/> function, from every state: legal moves come out of the table, others throw.</summary>
public sealed class TaskMovesLegalityTests
{
    private static readonly DateTimeOffset Now = TestTasks.T0.AddSeconds(5);

    private static readonly TaskError Retryable = new("flaky", "try again", ErrorKind.Retryable);

    private static readonly TaskError Fatal = new("broken", "give up", ErrorKind.Fatal);

    private static readonly TaskRecord Dependency = TestTasks.InState(TaskState.Failed) with { Id = "dep" };

    /// <summary>Each move function with the trigger it stands for, in the variants that reach different targets.</summary>
    private static readonly (string Name, TaskTrigger Trigger, Func<TaskRecord, AppliedTransition> Move)[] Moves =
    [
        ("promote", TaskTrigger.Promote, t => TaskMoves.Promote(t, Now)),
        ("claim", TaskTrigger.Claim, t => TaskMoves.Claim(t, "worker-2", 99, 30_000, Now)),
        ("complete", TaskTrigger.Complete, t => TaskMoves.Complete(t, new JsonText("1"), TestTasks.ResultTtlMs, Now)),
        ("complete-review", TaskTrigger.Complete,
            t => TaskMoves.Complete(t with { Review = ReviewMode.Required }, new JsonText("1"), TestTasks.ResultTtlMs, Now)),
        ("fail-retry-now", TaskTrigger.Fail, t => TaskMoves.Fail(t, Retryable, 0, 0.5, TestTasks.ResultTtlMs, Now)),
        ("fail-retry-later", TaskTrigger.Fail, t => TaskMoves.Fail(t, Retryable, 5_000, 0.5, TestTasks.ResultTtlMs, Now)),
        ("fail-fatal", TaskTrigger.Fail, t => TaskMoves.Fail(t, Fatal, null, 0.5, TestTasks.ResultTtlMs, Now)),
        ("fail-spent", TaskTrigger.Fail, t => TaskMoves.Fail(t with { MaxAttempts = t.Attempt }, Retryable, null, 0.5, TestTasks.ResultTtlMs, Now)),
        ("expire-now", TaskTrigger.LeaseExpired, t => TaskMoves.ExpireLease(t, 0.5, TestTasks.ResultTtlMs, Now)),
        ("expire-backoff", TaskTrigger.LeaseExpired,
            t => TaskMoves.ExpireLease(t with { Retry = RetryPolicy.Default }, 0.5, TestTasks.ResultTtlMs, Now)),
        ("expire-spent", TaskTrigger.LeaseExpired,
            t => TaskMoves.ExpireLease(t with { MaxAttempts = t.Attempt }, 0.5, TestTasks.ResultTtlMs, Now)),
        ("timeout", TaskTrigger.Deadline, t => TaskMoves.Timeout(t, TestTasks.ResultTtlMs, Now)),
        ("cancel", TaskTrigger.Cancel, t => TaskMoves.Cancel(t, TestTasks.ResultTtlMs, Now)),
        ("retry", TaskTrigger.Retry, t => TaskMoves.Retry(t, Now)),
        ("retry-dependent", TaskTrigger.Retry, t => TaskMoves.Retry(t with { DependsOn = ["dep"] }, Now)),
        ("release", TaskTrigger.Release, t => TaskMoves.Release(t, Now)),
        ("release-later", TaskTrigger.Release, t => TaskMoves.Release(t with { RunAt = Now.AddMinutes(1) }, Now)),
        ("dependency-failed", TaskTrigger.DependencyFailed, t => TaskMoves.DependencyFailed(t, Dependency, TestTasks.ResultTtlMs, Now)),
        ("dependency-cancel", TaskTrigger.DependencyFailed,
            t => TaskMoves.DependencyFailed(t with { OnDependencyFailure = DependencyFailurePolicy.Cancel }, Dependency, TestTasks.ResultTtlMs, Now)),
        ("accept", TaskTrigger.Accept, t => TaskMoves.Accept(t, TestTasks.ResultTtlMs, Now)),
        ("reject", TaskTrigger.Reject, t => TaskMoves.Reject(t, "again", TestTasks.ResultTtlMs, Now)),
        ("reject-spent", TaskTrigger.Reject, t => TaskMoves.Reject(t with { RejectionCount = t.MaxRejections - 1 }, "no", TestTasks.ResultTtlMs, Now)),
    ];

    public static TheoryData<string, TaskState> EveryMoveFromEveryState()
    {
        var data = new TheoryData<string, TaskState>();
        foreach (var (name, _, _) in Moves)
        {
            foreach (var state in Enum.GetValues<TaskState>())
            {
                data.Add(name, state);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMoveFromEveryState))]
    public void Move_FromAnyState_IsInTableOrThrows(string name, TaskState from)
    {
        var (_, trigger, move) = Moves.Single(m => m.Name == name);
        var task = TestTasks.InState(from, attempt: 1, maxAttempts: 3);
        if (TaskTransitions.SourcesOf(trigger).Contains(from))
        {
            var applied = move(task);
            Assert.Equal(from, applied.From);
            Assert.Equal(trigger, applied.Trigger);
            Assert.True(TaskTransitions.IsAllowed(from, trigger, applied.Task.State),
                $"{name}: {from} -> {applied.Task.State} is not in the table");
            Assert.Equal(Now, applied.Task.UpdatedAt);
            Assert.Equal(task.Id, applied.Task.Id);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => move(task));
        }
    }

    [Fact]
    public void Moves_FromTheirSources_ReachEveryTableRowTheyOwn()
    {
        var reached = new HashSet<TaskTransition>();
        foreach (var (_, trigger, move) in Moves)
        {
            foreach (var from in TaskTransitions.SourcesOf(trigger))
            {
                var applied = move(TestTasks.InState(from));
                reached.Add(new TaskTransition(from, trigger, applied.Task.State));
            }
        }

        var owned = TaskTransitions.Table.Where(t => t.From is not null).ToHashSet();
        Assert.Equal(owned.OrderBy(t => t.ToString()), reached.OrderBy(t => t.ToString()));
    }
}
