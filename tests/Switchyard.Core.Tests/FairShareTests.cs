using Switchyard.Core.Queues;

namespace Switchyard.Core.Tests;

public sealed class FairShareTests
{
    /// <summary>Serves <paramref name="turns"/> times among always-busy keys (ties to the first listed), returning who was served.</summary>
    private static List<string> Serve(FairShare share, IReadOnlyDictionary<string, int> weights, int turns)
    {
        var served = new List<string>();
        for (var i = 0; i < turns; i++)
        {
            var keys = weights.Keys.ToArray();
            var best = keys[0];
            for (var k = 1; k < keys.Length; k++)
            {
                if (share.Precedes(keys[k], k, best, Array.IndexOf(keys, best)))
                {
                    best = keys[k];
                }
            }

            share.Served(best, weights[best]);
            served.Add(best);
        }

        return served;
    }

    [Fact]
    public void Served_EqualWeights_TakeTurns()
    {
        var served = Serve(new FairShare(), new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, 6);

        Assert.Equal(["a", "b", "a", "b", "a", "b"], served);
    }

    [Fact]
    public void Served_Weights_InProportion()
    {
        var served = Serve(new FairShare(), new Dictionary<string, int> { ["a"] = 3, ["b"] = 1 }, 400);

        Assert.Equal(300, served.Count(k => k == "a"));
        Assert.Equal(100, served.Count(k => k == "b"));
    }

    [Fact]
    public void PassOf_NewcomerAfterAFlood_StartsAtTheClockNotAtZero()
    {
        var share = new FairShare();
        for (var i = 0; i < 1_000; i++)
        {
            share.Served("flood", 1);
        }

        Assert.Equal(share.PassOf("flood") - 1, share.PassOf("newcomer"));
        Assert.True(share.Precedes("newcomer", 2, "flood", 1)); // behind the flood's last turn, ahead of its next
    }

    [Fact]
    public void PassOf_KeyIdleWhileOthersServed_EarnsNoBurst()
    {
        var share = new FairShare();
        share.Served("a", 1);
        share.Served("b", 1);
        for (var i = 0; i < 50; i++)
        {
            share.Served("b", 1);
        }

        Assert.Equal(share.PassOf("b") - 1, share.PassOf("a"));
    }

    [Fact]
    public void Served_ManyIdleKeys_ForgottenWithoutChangingOrder()
    {
        var share = new FairShare();
        for (var i = 0; i < FairShare.PruneThreshold + 10; i++)
        {
            share.Served($"k{i}", 1);
        }

        share.Served("busy", 1);
        share.Served("busy", 1);

        Assert.True(share.Precedes("k0", 0, "busy", 1));
    }
}
