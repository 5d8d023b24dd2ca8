namespace Switchyard.Worker;

/// <summary>
/// Every task whose handler is still running, whichever connection it came on. A connection that opens while
/// handlers of an earlier one still run offers the server fewer credits, and gives each back as those end.
/// </summary>
internal sealed class RunTable
{
    private readonly Lock _gate = new();
    private readonly HashSet<TaskRun> _active = [];
    private TaskCompletionSource? _idle;
    private ProtocolSession? _creditor;
    private HashSet<TaskRun> _owed = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _active.Count;
            }
        }
    }

    public void Add(TaskRun run)
    {
        lock (_gate)
        {
            _active.Add(run);
        }
    }

    /// <summary>Forgets a finished run; returns the connection that is owed a credit for it, if one is.</summary>
    public ProtocolSession? Remove(TaskRun run)
    {
        lock (_gate)
        {
            _active.Remove(run);
            if (_active.Count == 0)
            {
                _idle?.TrySetResult();
                _idle = null;
            }

            return _owed.Remove(run) ? _creditor : null;
        }
    }

    /// <summary>A new connection: the runs still going count against its capacity until they end. Returns how many.</summary>
    public int Reserve(ProtocolSession session)
    {
        lock (_gate)
        {
            _creditor = session;
            _owed = [.. _active];
            return _owed.Count;
        }
    }

    /// <summary>Completes when no handler is running (including runs that start meanwhile).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_active.Count == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    public IReadOnlyList<TaskRun> Snapshot()
    {
        lock (_gate)
        {
            return [.. _active];
        }
    }
}
