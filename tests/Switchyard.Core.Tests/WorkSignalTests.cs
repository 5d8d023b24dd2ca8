using Switchyard.Core.Engine;

namespace Switchyard.Core.Tests;

public sealed class WorkSignalTests
{
    [Fact]
    public async Task Pulse_AfterTakingNext_CompletesIt()
    {
        var signal = new WorkSignal();
        var next = signal.Next;
        Assert.False(next.IsCompleted);

        signal.Pulse();

        await next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public void Pulse_BeforeTakingNext_DoesNotCompleteTheNextOne()
    {
        var signal = new WorkSignal();

        signal.Pulse();

        Assert.False(signal.Next.IsCompleted);
    }

    [Fact]
    public void Pulse_EveryHolderOfNext_Woken()
    {
        var signal = new WorkSignal();
        var first = signal.Next;
        var second = signal.Next;
        Assert.Same(first, second);

        signal.Pulse();

        Assert.True(first.IsCompletedSuccessfully);
        Assert.NotSame(first, signal.Next);
    }
}
