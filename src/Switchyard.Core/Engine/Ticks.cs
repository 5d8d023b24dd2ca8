namespace Switchyard.Core.Engine;

/// <summary>Periodic work that never runs on the thread that fired its timer.</summary>
public static class Ticks
{
    /// <summary>
    /// Waits for the next tick of <paramref name="timer"/>, then goes on from the thread pool. A timer's callback completes
    /// the wait, and an await that completes there runs on there: when the work after it finishes without yielding (the
    /// embedded store answers an idle caller on the caller's thread), the callback would run every tick's work before
    /// returning. A clock that jumps (a test clock, a host that wakes from sleep) fires one tick per period it passed, on the
    /// thread that moved it, so a jump of a minute on a 10 ms sweep would sweep 6,000 times. Leaving the callback first
    /// lets the ticks that pass while the work runs fold into one.
    /// </summary>
    public static async ValueTask<bool> NextTickAsync(this PeriodicTimer timer, CancellationToken cancellationToken)
    {
        var ticked = await timer.WaitForNextTickAsync(cancellationToken);
        await Task.Yield();
        return ticked;
    }
}
