using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Queues;
using Switchyard.Core.Types;

namespace Switchyard.Core.Tests;

public sealed class ClaimLimitsTests
{
    private readonly FakeTimeProvider _time = new(TestTasks.T0);
    private readonly Running _running = new();
    private readonly ClaimHolds _holds = new();
    private readonly ClaimLimits _limits;

    public ClaimLimitsTests() => _limits = new ClaimLimits(_running, _time);

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void QueueOpen_NoSettings_AlwaysOpenAndWeightsOne()
    {
        Assert.True(_limits.QueueOpen("q", Now));
        Assert.True(_limits.Allows("q", "g", "t", Now));
        Assert.Equal((1, 1), (_limits.ScopeWeight("q", "acme"), _limits.GroupWeight("q", "g")));
    }

    [Fact]
    public void QueueOpen_Paused_ClosedWithoutHold()
    {
        _limits.Set(new QueueSettings { Queue = "q", Paused = true });

        Assert.False(_limits.QueueOpen("q", Now));
        Assert.True(_limits.QueueOpen("other", Now));
        _limits.ReportTo(_holds);
        Assert.Equal((null, false), (_holds.TokenDue, _holds.HeldByCapacity));
    }

    [Fact]
    public void QueueOpen_AtMaxRunning_ClosedAndHeldByCapacity()
    {
        _limits.Set(new QueueSettings { Queue = "q", MaxRunning = 2 });
        _running.Queues["q"] = 1;
        Assert.True(_limits.QueueOpen("q", Now));

        _running.Queues["q"] = 2;
        Assert.False(_limits.QueueOpen("q", Now));
        _limits.ReportTo(_holds);
        Assert.True(_holds.TakeCapacity());
        Assert.False(_holds.TakeCapacity());
    }

    [Fact]
    public void Allows_TypeAtConcurrency_RefusedInEveryQueue()
    {
        _limits.SetType(new TaskTypeDefinition { Type = "llm.chat", Concurrency = 1 });
        _running.Types["llm.chat"] = 1;

        Assert.False(_limits.Allows("a", "default", "llm.chat", Now));
        Assert.False(_limits.Allows("b", "default", "llm.chat", Now));
        Assert.True(_limits.Allows("a", "default", "other", Now));

        _limits.SetConcurrency("llm.chat", null);
        Assert.True(_limits.Allows("a", "default", "llm.chat", Now));
    }

    [Fact]
    public void Started_QueueRate_SpendsTokensAndReportsWhenTheNextIsDue()
    {
        _limits.Set(new QueueSettings { Queue = "q", Rate = new RateLimit(2, 1_000) });

        for (var i = 0; i < 2; i++)
        {
            Assert.True(_limits.QueueOpen("q", Now));
            _limits.Started("q", "default", Now);
        }

        Assert.False(_limits.QueueOpen("q", Now));
        _limits.ReportTo(_holds);
        Assert.Equal(Now.AddMilliseconds(500), _holds.TokenDue);
        Assert.False(_holds.TakeDue(Now));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(_holds.TakeDue(Now));
        Assert.True(_limits.QueueOpen("q", Now));
    }

    [Fact]
    public void Allows_GroupRate_OnlyThatGroupLimited()
    {
        _limits.Set(new QueueSettings
        {
            Queue = "q",
            GroupRates = new Dictionary<string, RateLimit> { ["gpt-4o"] = new(1, 60_000) },
        });
        _limits.Started("q", "gpt-4o", Now);

        Assert.True(_limits.QueueOpen("q", Now));
        Assert.False(_limits.Allows("q", "gpt-4o", "t", Now));
        Assert.True(_limits.Allows("q", "claude", "t", Now));
    }

    [Fact]
    public void Set_SameRateAgain_KeepsTheBucketsLevel()
    {
        var settings = new QueueSettings { Queue = "q", Rate = new RateLimit(1, 60_000) };
        _limits.Set(settings);
        _limits.Started("q", "default", Now);

        _limits.Replace([settings with { MaxLength = 10 }]);
        Assert.False(_limits.QueueOpen("q", Now));

        _limits.Set(settings with { Rate = new RateLimit(2, 60_000) });
        Assert.True(_limits.QueueOpen("q", Now));
    }

    [Fact]
    public void Restore_BucketOfTheSameRate_UsedAndListed()
    {
        var rate = new RateLimit(1, 60_000);
        _limits.Set(new QueueSettings
        {
            Queue = "q",
            Rate = rate,
            GroupRates = new Dictionary<string, RateLimit> { ["gpt-4o"] = rate },
        });
        var empty = new TokenBucket(rate, 0, Now.ToUnixTimeMilliseconds());

        _limits.Restore("q", null, empty);
        _limits.Restore("q", "gpt-4o", empty);
        _limits.Restore("q", "claude", empty);
        _limits.Restore("other", null, empty);

        Assert.False(_limits.QueueOpen("q", Now));
        Assert.Equal([(null, empty), ("gpt-4o", empty)], _limits.BucketsOf("q"));
        Assert.Empty(_limits.BucketsOf("other"));
    }

    [Fact]
    public void Restore_BucketOfAnotherRate_SettingsBucketStays()
    {
        _limits.Set(new QueueSettings { Queue = "q", Rate = new RateLimit(2, 60_000) });

        _limits.Restore("q", null, new TokenBucket(new RateLimit(1, 60_000), 0, Now.ToUnixTimeMilliseconds()));

        Assert.True(_limits.QueueOpen("q", Now));
        Assert.Equal(2, Assert.Single(_limits.BucketsOf("q")).Bucket.Available(Now));
    }

    [Fact]
    public void Replace_QueueNoLongerListed_BackToDefaults()
    {
        _limits.Set(new QueueSettings { Queue = "q", Paused = true, ScopeWeights = new Dictionary<string, int> { ["acme"] = 5 } });
        Assert.Equal(5, _limits.ScopeWeight("q", "acme"));

        _limits.Replace([]);

        Assert.True(_limits.QueueOpen("q", Now));
        Assert.Equal(1, _limits.ScopeWeight("q", "acme"));
        Assert.Equal(QueueSettings.Default("q"), _limits.SettingsOf("q"));
    }

    private sealed class Running : IRunningCounts
    {
        public Dictionary<string, long> Queues { get; } = [];

        public Dictionary<string, long> Types { get; } = [];

        public long RunningIn(string queue) => Queues.GetValueOrDefault(queue);

        public long RunningOf(string type) => Types.GetValueOrDefault(type);
    }
}
