using Switchyard.Core.Engine;

namespace Switchyard.Core.Queues;

/// <summary>
/// What claims had to leave queued because of a limit, so someone wakes the claimers when it lifts: the earliest time a
/// rate-limit token returns, and whether a concurrency limit held anything (lifted when a running task finishes).
/// A store reports here from its claim path; <see cref="HeldWorkWaker"/> listens. Thread-safe.
/// </summary>
public sealed class ClaimHolds
{
    private readonly Lock _gate = new();
    private readonly WorkSignal _changed = new();
    private DateTimeOffset? _tokenDue;
    private bool _capacity;

    /// <summary>Completes when a report adds something new to wait for.</summary>
    public Task Changed => _changed.Next;

    public DateTimeOffset? TokenDue
    {
        get
        {
            lock (_gate)
            {
                return _tokenDue;
            }
        }
    }

    public bool HeldByCapacity
    {
        get
        {
            lock (_gate)
            {
                return _capacity;
            }
        }
    }

    public void Report(DateTimeOffset? tokenDue, bool byCapacity)
    {
        if (tokenDue is null && !byCapacity)
        {
            return;
        }

        bool changed;
        lock (_gate)
        {
            changed = (byCapacity && !_capacity) || (tokenDue is { } due && (_tokenDue is not { } current || due < current));
            _capacity |= byCapacity;
            if (tokenDue is { } d && (_tokenDue is not { } c || d < c))
            {
                _tokenDue = d;
            }
        }

        if (changed)
        {
            _changed.Pulse();
        }
    }

    /// <summary>True (once) when a token was due by <paramref name="now"/>; the caller then wakes the claimers.</summary>
    public bool TakeDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_tokenDue is not { } due || due > now)
            {
                return false;
            }

            _tokenDue = null;
            return true;
        }
    }

    /// <summary>True (once) when a concurrency limit held work back; the caller then wakes the claimers.</summary>
    public bool TakeCapacity()
    {
        if (!Volatile.Read(ref _capacity))
        {
            return false; // the common case, on every finished task: no lock
        }

        lock (_gate)
        {
            var held = _capacity;
            _capacity = false;
            return held;
        }
    }
}
