using System.Collections.Concurrent;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Model;
using Switchyard.Server.WebSockets;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// The dispatcher's handle on a dialect worker. The dialect has no cancel, quiet or terminate frame: a worker whose
/// task timed out (or was cancelled) goes on until it reports, so its one slot stays taken until then, as in the
/// origin, and a terminated worker is disconnected after the grace period.
/// </summary>
internal sealed class DispatcherLink(FramedSocket socket, TimeProvider time) : IWorkerLink, IDisposable
{
    private readonly ConcurrentDictionary<string, byte> _abandoned = new(StringComparer.Ordinal);
    private readonly Lock _sending = new();
    private byte[]? _greeting;
    private WorkerSession? _session;

    /// <summary>Drops the worker when a terminate's grace period has passed.</summary>
    public Termination Termination { get; } = new(time);

    /// <summary>
    /// Holds the first frame (<c>connected</c>) until <see cref="Greet"/> or the first push, whichever comes first, so
    /// a worker that hears <c>connected</c> is already registered, and no task goes out ahead of it.
    /// </summary>
    public void GreetWith(byte[] frame) => _greeting = frame;

    /// <summary>Sends the held first frame, unless a push already did.</summary>
    public void Greet() => Send(null);

    public void Attach(WorkerSession session) => _session = session;

    public bool TryPush(TaskRecord task) => Send(DispatcherJson.Task(task));

    public bool Send(byte[]? frame)
    {
        lock (_sending)
        {
            if (_greeting is { } greeting)
            {
                _greeting = null;
                socket.TrySend(greeting);
            }

            return frame is null || socket.TrySend(frame);
        }
    }

    /// <summary>No frame stops a dialect worker: a task that ends under it keeps its slot until the worker reports.</summary>
    public bool CanCancel => false;

    /// <summary>The task ended under the worker (timeout, cancel); its slot returns when the worker reports it.</summary>
    public void Cancel(string taskId, string reason) => _abandoned[taskId] = 0;

    /// <summary>The worker reported a task that had ended under it: its slot returns. False when it was not such a task.</summary>
    public bool ReturnSlot(string taskId)
    {
        if (!_abandoned.TryRemove(taskId, out _))
        {
            return false;
        }

        _session?.AddCredits(1);
        return true;
    }

    /// <summary>The worker says it is idle: whatever it was still working on is over.</summary>
    public void ReturnAllSlots()
    {
        foreach (var taskId in _abandoned.Keys)
        {
            ReturnSlot(taskId);
        }
    }

    public void Quiet()
    {
        // No frame for it in the dialect: the worker simply gets no more tasks.
    }

    public void Terminate(TimeSpan grace) => Termination.After(grace);

    public void Dispose() => Termination.Dispose();
}
