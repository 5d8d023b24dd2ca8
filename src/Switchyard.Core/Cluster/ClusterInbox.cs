using Microsoft.Extensions.Logging;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Cluster;

/// <summary>
/// Where what the cluster reports lands on this node. Every move, this node's own included, is published on the event
/// bus in the order received (the store's side puts each task's moves in their order), so every node tells each task's story in the same order. A
/// move made elsewhere also does here what a local move does: raises <see cref="TaskBroker.Moved"/> (a cancel reaches a
/// worker connected here), wakes claimers when work was queued, and wakes the callers waiting here for a task that
/// settled, with the full task read from the store.
/// </summary>
public sealed partial class ClusterInbox(
    TaskBroker broker, ITaskQueries queries, ProgressFeed feed, IEnumerable<IClusterCache> caches, PushDispatcher dispatcher,
    ILogger<ClusterInbox> logger)
{
    private long _moves;
    private long _remoteMoves;

    /// <summary>Moves received so far, and how many of them other nodes made.</summary>
    public (long All, long Remote) Received => (Interlocked.Read(ref _moves), Interlocked.Read(ref _remoteMoves));

    /// <summary>
    /// Carries out a command sent from another node for a push worker connected to this one; false when no such worker
    /// is connected here (it left since, or the command is for another node).
    /// </summary>
    public bool WorkerCommand(WorkerCommand command)
    {
        if (dispatcher.Tell(command.WorkerId, command.Terminate, TimeSpan.FromMilliseconds(command.GraceMs)) is null)
        {
            return false;
        }

        LogWorkerCommand(command.WorkerId, command.Terminate ? "terminate" : "quiet");
        return true;
    }

    /// <summary>Takes moves, each task's in the order the store committed them; call it from one flow at a time.</summary>
    public void Deliver(IReadOnlyList<ClusterMove> moves)
    {
        HashSet<WorkArrival>? arrivals = null;
        foreach (var received in moves)
        {
            var (move, reason, fromThisNode) = received;
            var task = move.Task;
            if (received.Expired)
            {
                Expired(task);
                continue;
            }

            broker.Events.Publish(TaskEventTypes.Of(move), task, reason);
            Interlocked.Increment(ref _moves);
            if (fromThisNode)
            {
                continue;
            }

            Interlocked.Increment(ref _remoteMoves);
            if (task.State == TaskState.Queued)
            {
                (arrivals ??= []).Add(WorkArrival.Of(task));
            }

            broker.ReplayRemote(move);
            if (broker.Waiters.Ends(task) && broker.Waiters.IsWaitedFor(task.Id))
            {
                _ = WakeWaitersAsync(task.Id, CancellationToken.None);
            }
        }

        TaskBroker.PulseFor(broker.WorkArrived, arrivals);
    }

    /// <summary>
    /// A finished task the retention cleaner (of whichever node leads it) deleted: <c>task.expired</c>, on every node
    /// alike. A caller still waiting here for it (its end's notice was lost, and the task is gone before the polling
    /// fallback could read it) is woken with the task as the notice tells it, as a caller on the node that ended it was.
    /// </summary>
    private void Expired(TaskRecord task)
    {
        broker.PublishExpired(task);
        broker.Waiters.Notify(task);
    }

    /// <summary>A running task's progress report, from whichever node its worker is connected to.</summary>
    public void Progress(string taskId, long leaseToken, TaskProgress progress, bool fromThisNode)
    {
        if (!fromThisNode)
        {
            feed.Publish(taskId, progress); // this node's own reports reached its readers already
        }

        if (!broker.Events.ReportProgress(taskId, leaseToken, progress))
        {
            _ = TrackThenReportAsync(taskId, leaseToken, progress);
        }
    }

    /// <summary>
    /// A report of a task this node's bus does not know as running (the node started after the task did): reads the
    /// task, and when it runs under that lease, tracks it and publishes the report, as a single node does after a restart.
    /// </summary>
    private async Task TrackThenReportAsync(string taskId, long leaseToken, TaskProgress progress)
    {
        try
        {
            if (await queries.GetTaskAsync(taskId, CancellationToken.None) is { State: TaskState.Running } task && task.Lease?.Token == leaseToken)
            {
                broker.Events.Track(task);
                broker.Events.ReportProgress(taskId, leaseToken, progress);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogTrackFailed(taskId, ex);
        }
    }

    /// <summary>Another node changed task types or queue settings: read them again.</summary>
    public async Task ReloadControlsAsync(CancellationToken cancellationToken)
    {
        foreach (var cache in caches)
        {
            await cache.ReloadAsync(cancellationToken);
        }

        broker.WorkArrived.Pulse();
    }

    /// <summary>
    /// The polling fallback's share: claimers look for work, callers waiting here for a task that settled unseen are
    /// woken, task types and queue settings are read again.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        broker.WorkArrived.Pulse();
        foreach (var taskId in broker.Waiters.TaskIds)
        {
            await WakeWaitersAsync(taskId, cancellationToken);
        }

        await ReloadControlsAsync(cancellationToken);
    }

    private async Task WakeWaitersAsync(string taskId, CancellationToken cancellationToken)
    {
        try
        {
            if (await queries.GetTaskAsync(taskId, cancellationToken) is { } task)
            {
                broker.Waiters.Notify(task);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWaiterReadFailed(taskId, ex); // the next catch-up tries again
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Reading task {TaskId} for its waiters failed; the polling fallback tries again")]
    private partial void LogWaiterReadFailed(string taskId, Exception exception);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Reading task {TaskId} to track its progress failed; its next report tries again")]
    private partial void LogTrackFailed(string taskId, Exception exception);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Worker {WorkerId} told to {Command} by another node")]
    private partial void LogWorkerCommand(string workerId, string command);
}
