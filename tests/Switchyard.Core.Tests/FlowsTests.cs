using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Core.Tests;

public sealed class FlowsTests
{
    private static TaskRecord Task(string id, params string[] dependsOn) =>
        TestTasks.InState(dependsOn.Length > 0 ? TaskState.Blocked : TaskState.Queued) with { Id = id, DependsOn = dependsOn };

    [Fact]
    public void Link_Acyclic_KeepsTasksInOrder()
    {
        var linked = Flows.Link([Task("c", "b"), Task("b", "a"), Task("a"), Task("x", "stored-elsewhere")], "");

        Assert.True(linked.IsSuccess);
        Assert.Equal(["c", "b", "a", "x"], linked.Value.Select(t => t.Id));
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a", "b", "b", "a")]
    [InlineData("a", "b", "b", "c", "c", "a")]
    public void Link_Cycle_RefusedNamingTheCycle(params string[] edges)
    {
        var tasks = edges.Chunk(2).GroupBy(e => e[0]).Select(g => Task(g.Key, [.. g.Select(e => e[1])])).ToList();
        tasks.AddRange(edges.Where(id => tasks.All(t => t.Id != id)).Distinct().Select(id => Task(id)));

        var linked = Flows.Link(tasks, "tasks.");

        Assert.False(linked.IsSuccess);
        Assert.Equal(ErrorCodes.DependencyCycle, linked.Error.Code);
        Assert.Contains("tasks.dependsOn", linked.Error.Errors!.Keys);
        Assert.Contains(" -> ", linked.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_LongChain_NoStackTrouble()
    {
        var chain = Enumerable.Range(0, 20_000).Select(i => i == 0 ? Task("n0") : Task($"n{i}", $"n{i - 1}")).Reverse().ToArray();

        Assert.True(Flows.Link(chain, "").IsSuccess);
    }

    [Fact]
    public void Link_ParentInBatch_WaitsForChildrenWhoInheritItsCorrelation()
    {
        var parent = Task("parent") with { CorrelationId = "trace-1" };
        var child = Task("child") with { ParentId = "parent" };
        var own = Task("own") with { ParentId = "parent", CorrelationId = "mine" };

        var linked = Flows.Link([parent, child, own], "").Value!;

        Assert.Equal(TaskState.Blocked, linked[0].State);
        Assert.Equal(["child", "own"], linked[0].DependsOn);
        Assert.Equal("trace-1", linked[1].CorrelationId);
        Assert.Equal("mine", linked[2].CorrelationId);
    }

    [Fact]
    public void Link_ChildThatParentDependsOnAndViceVersa_Cycle()
    {
        var linked = Flows.Link([Task("parent"), Task("child", "parent") with { ParentId = "parent" }], "");

        Assert.Equal(ErrorCodes.DependencyCycle, linked.Error?.Code);
    }

    [Fact]
    public void InheritFrom_ParentWithoutCorrelation_UsesParentId() =>
        Assert.Equal("p", Flows.InheritFrom(Task("c"), Task("p")).CorrelationId);

    [Theory]
    [InlineData(DependencyFailurePolicy.Fail, TaskState.Completed, TaskState.Running, DependencyVerdict.Wait)]
    [InlineData(DependencyFailurePolicy.Fail, TaskState.Completed, TaskState.Completed, DependencyVerdict.Release)]
    [InlineData(DependencyFailurePolicy.Fail, TaskState.Review, TaskState.Completed, DependencyVerdict.Wait)]
    [InlineData(DependencyFailurePolicy.Fail, TaskState.Running, TaskState.Failed, DependencyVerdict.Fail)]
    [InlineData(DependencyFailurePolicy.Cancel, TaskState.Queued, TaskState.Cancelled, DependencyVerdict.Fail)]
    [InlineData(DependencyFailurePolicy.Ignore, TaskState.Cancelled, TaskState.Failed, DependencyVerdict.Release)]
    [InlineData(DependencyFailurePolicy.Ignore, TaskState.Failed, TaskState.Blocked, DependencyVerdict.Wait)]
    public void Decide_DependencyStates_Verdict(DependencyFailurePolicy policy, TaskState a, TaskState b, DependencyVerdict expected)
    {
        var task = Task("t", "a", "b") with { OnDependencyFailure = policy };

        var verdict = DependencyResolution.Decide(task, [TestTasks.InState(a) with { Id = "a" }, TestTasks.InState(b) with { Id = "b" }], out var failed);

        Assert.Equal(expected, verdict);
        Assert.Equal(expected == DependencyVerdict.Fail, failed is not null);
    }
}
