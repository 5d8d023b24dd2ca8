using System.CommandLine;
using Switchyard.Cli;
using Switchyard.Cli.Worker;

namespace Switchyard.Worker.Tests;

public sealed class PoolScalingTests
{
    private static readonly PoolScaleRule Rule = new(Min: 1, Max: 8, TasksPerWorker: 4, ScaleDownAfter: TimeSpan.FromSeconds(30));
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(16, 4)]
    [InlineData(17, 5)]
    [InlineData(1_000, 8)]
    public void Wanted_OneProcessPerTasksPerWorker_WithinBounds(long demand, int wanted) =>
        Assert.Equal(wanted, PoolScaling.Wanted(Rule, demand));

    [Fact]
    public void Wanted_MinZero_NoDemandNoProcess() =>
        Assert.Equal(0, PoolScaling.Wanted(Rule with { Min = 0 }, 0));

    [Fact]
    public void ToStop_OneIdleOneBusy_StopsTheIdleOneEvenIfOlder()
    {
        (string Name, long? Running, DateTimeOffset StartedAt)[] live = [("old-idle", 0, T0), ("new-busy", 2, T0.AddMinutes(5))];

        Assert.Equal("old-idle", PoolScaling.ToStop(live, c => c.Running, c => c.StartedAt).Name);
    }

    [Fact]
    public void ToStop_EquallyBusy_StopsTheNewest_AndAnUncountedOneLast()
    {
        (string Name, long? Running, DateTimeOffset StartedAt)[] live =
            [("uncounted", null, T0.AddMinutes(9)), ("old", 1, T0), ("new", 1, T0.AddMinutes(5))];

        Assert.Equal("new", PoolScaling.ToStop(live, c => c.Running, c => c.StartedAt).Name);
    }

    [Fact]
    public void Next_DemandRises_GrowsAtOnce()
    {
        var next = PoolScaling.Next(Rule, new PoolScale(1, null), demand: 20, T0);

        Assert.Equal(new PoolScale(5, null), next);
    }

    [Fact]
    public void Next_DemandFalls_ShrinksOneStepPerIdlePeriod()
    {
        var scale = new PoolScale(5, null);

        scale = PoolScaling.Next(Rule, scale, 0, T0);
        Assert.Equal(new PoolScale(5, T0), scale);
        scale = PoolScaling.Next(Rule, scale, 0, T0.AddSeconds(29));
        Assert.Equal(5, scale.Target);
        scale = PoolScaling.Next(Rule, scale, 0, T0.AddSeconds(30));
        Assert.Equal(new PoolScale(4, T0.AddSeconds(30)), scale);
        scale = PoolScaling.Next(Rule, scale, 0, T0.AddSeconds(45));
        Assert.Equal(4, scale.Target);
        scale = PoolScaling.Next(Rule, scale, 0, T0.AddSeconds(60));
        Assert.Equal(3, scale.Target);
    }

    [Fact]
    public void Next_DemandReturnsDuringSurplus_ForgetsTheSurplus()
    {
        var scale = PoolScaling.Next(Rule, new PoolScale(3, null), 0, T0);

        scale = PoolScaling.Next(Rule, scale, 12, T0.AddSeconds(20));

        Assert.Equal(new PoolScale(3, null), scale);
        Assert.Equal(3, PoolScaling.Next(Rule, scale, 0, T0.AddSeconds(40)).Target);
    }

    [Fact]
    public void Next_NeverBelowMin()
    {
        var scale = new PoolScale(1, T0);

        Assert.Equal(new PoolScale(1, null), PoolScaling.Next(Rule, scale, 0, T0.AddHours(1)));
    }

    [Fact]
    public void Next_UnknownDemand_KeepsSizeWithinBounds()
    {
        Assert.Equal(new PoolScale(3, T0), PoolScaling.Next(Rule, new PoolScale(3, T0), null, T0.AddHours(1)));
        Assert.Equal(8, PoolScaling.Next(Rule, new PoolScale(12, null), null, T0).Target);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(50, 30)]
    public void RestartDelay_DoublesFromOneSecondUpToThirty(int crashes, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PoolScaling.RestartDelay(crashes));

    [Fact]
    public void ChildArguments_SameCommandLineWithoutMinMaxAndName()
    {
        var parse = CliApp.Build().Parse(
            ["--server", "http://h:1", "worker", "--min", "1", "--handlers", "shell.exec", "--max=4", "-q", "a", "--name", "gpu-box", "--capacity", "2"]);

        Assert.Equal(["--server", "http://h:1", "worker", "--handlers", "shell.exec", "-q", "a", "--capacity", "2"], ChildCommand.WithoutPoolOptions(parse));
        Assert.Equal(["x", "--name", "gpu-box-3"], new ChildCommand("sy", ["x"]).Named(new PoolOptions { Rule = new(1, 4, 1, TimeSpan.Zero), Name = "gpu-box" }.ChildName(3)).Arguments);
    }
}
