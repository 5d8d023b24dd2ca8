using Switchyard.Core.Model;

namespace Switchyard.Core.Tests;

public sealed class TaskTransitionsTests
{
    // The expected table, written out by hand: rows are "from", columns are "to", in TaskState order
    // (scheduled, blocked, queued, running, review, completed, failed, cancelled); 'x' = allowed.
    // DESIGN.md's table, plus: every live state -> cancelled, scheduled/blocked/queued/running -> failed
    // on deadline, failed|cancelled -> queued on retry (-> blocked when the task has dependencies), and
    // blocked -> scheduled when released with a run time still ahead.
    private static readonly string[] Expected =
    [
        //     S B Q R V C F X
        /* S */ "..x...xx",
        /* B */ "x.x...xx",
        /* Q */ "...x..xx",
        /* R */ "x.x.xxxx",
        /* V */ "..x..xxx",
        /* C */ "........",
        /* F */ ".xx.....",
        /* X */ ".xx.....",
    ];

    public static TheoryData<TaskState, TaskState, bool> EveryPair()
    {
        var data = new TheoryData<TaskState, TaskState, bool>();
        foreach (var from in Enum.GetValues<TaskState>())
        {
            foreach (var to in Enum.GetValues<TaskState>())
            {
                data.Add(from, to, Expected[(int)from][(int)to] == 'x');
            }
        }

        return data;
    }

    [Fact]
    public void ExpectedMatrix_CoversEveryPair_SixtyFour()
    {
        Assert.Equal(8, Enum.GetValues<TaskState>().Length);
        Assert.Equal(64, EveryPair().Count);
        Assert.All(Expected, row => Assert.Equal(8, row.Length));
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void IsAllowed_EveryPair_MatchesExpectedMatrix(TaskState from, TaskState to, bool allowed) =>
        Assert.Equal(allowed, TaskTransitions.IsAllowed(from, to));

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void EnsureAllowed_PairWithoutAnyTrigger_Throws(TaskState from, TaskState to, bool allowed)
    {
        foreach (var trigger in Enum.GetValues<TaskTrigger>())
        {
            var legal = TaskTransitions.IsAllowed(from, trigger, to);
            Assert.True(allowed || !legal, $"{from} -> {to} on {trigger} is legal but the pair is not");
            if (legal)
            {
                TaskTransitions.EnsureAllowed(from, trigger, to);
            }
            else
            {
                Assert.Throws<InvalidOperationException>(() => TaskTransitions.EnsureAllowed(from, trigger, to));
            }
        }
    }

    [Fact]
    public void Table_EnteringRows_AreSubmitsIntoWaitingStates()
    {
        var entering = TaskTransitions.Table.Where(t => t.From is null).ToArray();
        Assert.All(entering, t => Assert.Equal(TaskTrigger.Submit, t.Trigger));
        Assert.Equal(
            new[] { TaskState.Scheduled, TaskState.Blocked, TaskState.Queued },
            entering.Select(t => t.To).Order().ToArray());
        Assert.DoesNotContain(TaskTransitions.Table, t => t.From is not null && t.Trigger == TaskTrigger.Submit);
    }

    [Fact]
    public void Table_NoRowLeavesCompleted_CompletedIsFinal()
    {
        Assert.DoesNotContain(TaskTransitions.Table, t => t.From == TaskState.Completed);
    }

    [Fact]
    public void Table_Rows_AreDistinct()
    {
        Assert.Equal(TaskTransitions.Table.Count, TaskTransitions.Table.Distinct().Count());
    }

    [Theory]
    [InlineData(TaskTrigger.Promote, new[] { TaskState.Scheduled })]
    [InlineData(TaskTrigger.Release, new[] { TaskState.Blocked })]
    [InlineData(TaskTrigger.DependencyFailed, new[] { TaskState.Blocked })]
    [InlineData(TaskTrigger.Claim, new[] { TaskState.Queued })]
    [InlineData(TaskTrigger.Complete, new[] { TaskState.Running })]
    [InlineData(TaskTrigger.Fail, new[] { TaskState.Running })]
    [InlineData(TaskTrigger.LeaseExpired, new[] { TaskState.Running })]
    [InlineData(TaskTrigger.Deadline, new[] { TaskState.Scheduled, TaskState.Blocked, TaskState.Queued, TaskState.Running })]
    [InlineData(TaskTrigger.Accept, new[] { TaskState.Review })]
    [InlineData(TaskTrigger.Reject, new[] { TaskState.Review })]
    [InlineData(TaskTrigger.Cancel, new[] { TaskState.Scheduled, TaskState.Blocked, TaskState.Queued, TaskState.Running, TaskState.Review })]
    [InlineData(TaskTrigger.Retry, new[] { TaskState.Failed, TaskState.Cancelled })]
    [InlineData(TaskTrigger.Submit, new TaskState[0])]
    public void SourcesOf_EachTrigger_AreTheExpectedStates(TaskTrigger trigger, TaskState[] sources) =>
        Assert.Equal(sources.Order().ToArray(), TaskTransitions.SourcesOf(trigger).Order().ToArray());

    [Fact]
    public void TriggerEventNames_EveryTrigger_DistinctLowercase()
    {
        var names = Enum.GetValues<TaskTrigger>().Select(t => t.ToEventName()).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Equal(n.ToLowerInvariant(), n));
    }
}
