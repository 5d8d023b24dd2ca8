using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Queues;

namespace Switchyard.Core.Tests;

public sealed class ReadyIndexTests
{
    private readonly FakeTimeProvider _time = new(TestTasks.T0);
    private readonly ClaimLimits _limits;

    public ReadyIndexTests() => _limits = new ClaimLimits(new NoneRunning(), _time);

    private long? TakeBest(ReadyIndex index) => index.TakeBest(["q"], [], [], _limits, _time.GetUtcNow());

    [Fact]
    public void TakeBest_FreshIndexesSharingTurns_ScopesTakeTurnsAcrossThem()
    {
        // What the PostgreSQL store does: an index per claim over the heads it read, the turns kept by the node.
        var turns = new FairTurns();
        var taken = new List<long?>();
        for (var claim = 0; claim < 4; claim++)
        {
            var index = new ReadyIndex(turns);
            index.Add(new ReadyEntry(1 + claim, "q", "big", "default", "t", 0));
            index.Add(new ReadyEntry(100 + claim, "q", "small", "default", "t", 0));
            taken.Add(TakeBest(index));
        }

        Assert.Equal([1, 101, 3, 103], taken);
    }

    [Fact]
    public void TakeBest_NewTurnsEachTime_OldestHeadAlwaysWins()
    {
        var taken = Enumerable.Range(0, 3).Select(claim =>
        {
            var index = new ReadyIndex();
            index.Add(new ReadyEntry(1 + claim, "q", "big", "default", "t", 0));
            index.Add(new ReadyEntry(100 + claim, "q", "small", "default", "t", 0));
            return TakeBest(index);
        });

        Assert.Equal([1, 2, 3], taken);
    }

    private sealed class NoneRunning : IRunningCounts
    {
        public long RunningIn(string queue) => 0;

        public long RunningOf(string type) => 0;
    }
}
