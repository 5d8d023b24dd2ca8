namespace Switchyard.Core.Engine;

/// <summary>
/// Wakes claimers waiting for work. Take <see cref="Next"/> before trying to claim, then await it:
/// work that arrives in between completes the task you already hold, so no wake-up is missed.
/// </summary>
public sealed class WorkSignal
{
    private TaskCompletionSource _next = NewSource();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse()
    {
        var previous = Interlocked.Exchange(ref _next, NewSource());
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
