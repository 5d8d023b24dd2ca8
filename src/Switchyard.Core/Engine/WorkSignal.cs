namespace Switchyard.Core.Engine;

/// <summary>
/// Wakes claimers waiting for work. Take <see cref="Next"/> (or <see cref="Watch"/>) before trying to claim, then await
/// it: work that arrives in between completes the task you already hold, so no wake-up is missed. A pulse may say what
/// arrived (<see cref="WorkArrival"/>); the last <see cref="Remembered"/> are kept, so a woken claimer can ask
/// <see cref="AnyConcerns"/> whether any of them concerns it before it goes to the store again.
/// </summary>
public sealed class WorkSignal
{
    public const int Remembered = 256;

    private readonly Lock _gate = new();
    private readonly WorkArrival?[] _recent = new WorkArrival?[Remembered];
    private long _pulses;
    private TaskCompletionSource _next = NewSource();

    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>The next wake-up and the number of pulses so far, read together (see <see cref="AnyConcerns"/>).</summary>
    public (Task Next, long Mark) Watch()
    {
        lock (_gate)
        {
            return (_next.Task, _pulses);
        }
    }

    /// <summary>Wakes every claimer: something changed that may let any of them take work (limits, settings, a catch-up).</summary>
    public void Pulse() => Pulse(null);

    /// <summary>Wakes every claimer, saying what arrived (null: unknown, concerns everyone).</summary>
    public void Pulse(WorkArrival? arrival)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _recent[_pulses % Remembered] = arrival;
            _pulses++;
            previous = _next;
            _next = NewSource();
        }

        previous.TrySetResult();
    }

    /// <summary>
    /// Whether a pulse from mark <paramref name="from"/> up to (not including) mark <paramref name="to"/> may concern a
    /// claimer: one that did not say what arrived, one whose arrival <paramref name="concerns"/> accepts, or one no
    /// longer remembered.
    /// </summary>
    public bool AnyConcerns(long from, long to, Func<WorkArrival, bool> concerns)
    {
        ArgumentNullException.ThrowIfNull(concerns);
        lock (_gate)
        {
            if (_pulses - from > Remembered)
            {
                return true;
            }

            for (var pulse = from; pulse < to; pulse++)
            {
                if (_recent[pulse % Remembered] is not { } arrival || concerns(arrival))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
