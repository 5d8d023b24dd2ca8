using Switchyard.Core.Model;

namespace Switchyard.Core.Dispatch;

/// <summary>
/// A connected push worker as the dispatcher sees it, whatever its wire protocol (Switchyard's own
/// worker protocol, the dispatcher dialect). Sends never block: a link queues frames and writes them
/// on its own.
/// </summary>
public interface IWorkerLink
{
    /// <summary>Hands a leased task to the worker; false when the connection is already closed.</summary>
    bool TryPush(TaskRecord task);

    /// <summary>
    /// Whether <see cref="Cancel"/> reaches the worker. When it cannot, a task that ends under the worker (cancelled,
    /// timed out, lease lost) keeps its credit taken: the worker is still busy with it, and the link gives the credit
    /// back (<see cref="WorkerSession.AddCredits"/>) once the worker says it is done.
    /// </summary>
    bool CanCancel => true;

    /// <summary>Tells the worker to stop working on a task (cancelled, timed out or lease lost).</summary>
    void Cancel(string taskId, string reason);

    /// <summary>Tells the worker no more tasks will come.</summary>
    void Quiet();

    /// <summary>Tells the worker to finish within <paramref name="grace"/> and close.</summary>
    void Terminate(TimeSpan grace);
}
