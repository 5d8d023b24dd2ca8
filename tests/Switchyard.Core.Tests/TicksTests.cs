using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Engine;

namespace Switchyard.Core.Tests;

public sealed class TicksTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task NextTick_AfterAJumpOfManyPeriods_WorkRunsOutsideTheCallbackAndTheTicksFold()
    {
        var clock = new FakeTimeProvider();
        var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10), clock);
        var advancing = -1;
        var insideCallback = 0;
        var rounds = 0;

        // Work that never yields, like a sweep the embedded store answers on the caller's thread.
        async Task LoopAsync()
        {
            while (await timer.NextTickAsync(CancellationToken.None))
            {
                if (Volatile.Read(ref advancing) == Environment.CurrentManagedThreadId)
                {
                    insideCallback++; // the thread moving the clock runs the work only from inside the timer's callback
                }

                Interlocked.Increment(ref rounds);
            }
        }

        var loop = LoopAsync(); // waiting for its first tick when this returns
        Volatile.Write(ref advancing, Environment.CurrentManagedThreadId);
        clock.Advance(TimeSpan.FromMinutes(1)); // 6,000 periods
        Volatile.Write(ref advancing, -1);
        timer.Dispose();
        await loop.WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(0, insideCallback);
        Assert.InRange(rounds, 1, 5_999);
    }
}
