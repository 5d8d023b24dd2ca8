using Microsoft.Extensions.Logging;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Server.WebSockets;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// One worker on <c>/ws?group=</c>: <c>connected</c>, then one task at a time pushed by the dispatcher, and the worker's
/// reports. The worker has one slot from the moment it connects; a report frees it and the next queued task follows
/// without a new <c>ready</c>. The worker cannot heartbeat, so while it is connected the server keeps the leases of
/// what it holds alive; the WebSocket keep-alive is what notices a dead worker. When the server stops, the connection
/// closes once the worker holds nothing. See docs/protocols/dispatcher.md.
/// </summary>
internal sealed partial class DispatcherConnection(
    FramedSocket socket, string group, PushDispatcher dispatcher, TaskBroker broker, ILogger logger, CancellationToken serverStopping) : IDisposable
{
    private readonly DispatcherLink _link = new(socket, broker.Time);
    private ShutdownClose? _shutdown;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var spec = new WorkerSpec(
            dispatcher.NewWorkerId("W"), "dispatcher", [TaskDefaults.Queue], [group], [DispatcherDialect.TaskType], null, DispatcherDialect.Protocol);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var drop = _link.Termination.DropWhenDue(socket, stop);

        _link.GreetWith(DispatcherJson.Connected(spec.WorkerId));
        var session = dispatcher.Register(spec, _link, capacity: 1);
        _shutdown = new ShutdownClose(socket, () => session.HeldCount == 0);
        using var onShutdown = _shutdown.Watch(stop, serverStopping);
        _link.Attach(session);
        _link.Greet();
        var leases = KeepLeasesAsync(session, stop.Token);
        try
        {
            await DispatchAsync();
            await ReceiveLoopAsync(session, stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            await leases;
            await dispatcher.UnregisterAsync(session, CancellationToken.None);
        }
    }

    public void Dispose() => _link.Dispose();

    private Task ReceiveLoopAsync(WorkerSession session, CancellationToken cancellationToken) =>
        socket.ReadAllAsync(
            bytes =>
            {
                if (WorkerFrame.Parse(bytes) is { } frame)
                {
                    return HandleAsync(session, frame, cancellationToken);
                }

                LogBadFrame(logger, session.Spec.WorkerId);
                return Task.CompletedTask;
            },
            cancellationToken);

    private async Task HandleAsync(WorkerSession session, WorkerFrame frame, CancellationToken cancellationToken)
    {
        var workerId = session.Spec.WorkerId;
        switch (frame.Type)
        {
            case WorkerFrame.Ready:
                _link.ReturnAllSlots();
                await DispatchAsync();
                break;
            case WorkerFrame.Complete or WorkerFrame.CompleteAlias:
                await ReportAsync(session, frame.TaskId, token => broker.CompleteAsync(frame.TaskId!, token, frame.Result, workerId, cancellationToken));
                break;
            case WorkerFrame.Fail:
                var error = new TaskError(DispatcherDialect.WorkerErrorCode, frame.Error, ErrorKind.Fatal);
                await ReportAsync(session, frame.TaskId, token => broker.FailAsync(frame.TaskId!, token, error, null, workerId, cancellationToken));
                break;
            case WorkerFrame.Ping:
                _link.Send(DispatcherJson.Pong);
                break;
            default:
                LogUnknownFrame(logger, workerId, frame.Type);
                break;
        }
    }

    /// <summary>Applies a result or error under the lease the worker holds the task by, then frees the worker.</summary>
    private async Task ReportAsync(WorkerSession session, string? taskId, Func<long, Task<Outcome<AppliedTransition>>> report)
    {
        if (taskId is null || !TryGetLease(session, taskId, out var token))
        {
            // A late report of a task that ended under the worker frees the worker; any other is noise.
            LogIgnored(logger, session.Spec.WorkerId, taskId);
            if (taskId is not null && _link.ReturnSlot(taskId))
            {
                await DispatchAsync();
            }

            _shutdown?.Released();
            return;
        }

        var outcome = await report(token);
        session.Release(taskId);
        _link.ReturnSlot(taskId); // the deadline may have won the race: the slot it kept returns now
        if (!outcome.IsSuccess)
        {
            LogRefused(logger, session.Spec.WorkerId, taskId, outcome.Error.Code);
        }

        await DispatchAsync();
        _shutdown?.Released();
    }

    /// <summary>
    /// Hands the queue head to this worker (or any idle one) before the next frame is read, so a task due on
    /// connect, <c>ready</c> or a report goes out ahead of the answer to anything the worker sends next.
    /// Not the connection's token: a claim cut short by a disconnect would lease the task to nobody.
    /// </summary>
    private Task<int> DispatchAsync() => dispatcher.DispatchNowAsync(CancellationToken.None);

    private static bool TryGetLease(WorkerSession session, string taskId, out long token)
    {
        foreach (var (held, heldBy) in session.Held)
        {
            if (held == taskId)
            {
                token = heldBy;
                return true;
            }
        }

        token = 0;
        return false;
    }

    /// <summary>Heartbeats what the worker holds, as often as a native worker is asked to, until the connection ends.</summary>
    private async Task KeepLeasesAsync(WorkerSession session, CancellationToken cancellationToken)
    {
        var interval = Math.Max(1, Math.Min(dispatcher.Options.HeartbeatIntervalMs, broker.Options.DefaultLeaseMs / 3));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(interval), broker.Time);
        try
        {
            while (await timer.NextTickAsync(cancellationToken))
            {
                foreach (var (taskId, token) in session.Held)
                {
                    try
                    {
                        // A refusal means the task ended meanwhile; the dispatcher has already let it go.
                        await broker.HeartbeatAsync(taskId, token, session.Spec.LeaseMs, null, cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogHeartbeatFailed(logger, session.Spec.WorkerId, taskId, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection ended.
        }
    }

    [LoggerMessage(EventId = 5111, Level = LogLevel.Debug, Message = "Ignored a frame from worker {WorkerId}: not a JSON object with a type")]
    private static partial void LogBadFrame(ILogger logger, string workerId);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Debug, Message = "Ignored a '{Type}' frame from worker {WorkerId}")]
    private static partial void LogUnknownFrame(ILogger logger, string workerId, string type);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Debug, Message = "Ignored worker {WorkerId}'s report on task {TaskId}: it does not hold it (it timed out, or was never its)")]
    private static partial void LogIgnored(ILogger logger, string workerId, string? taskId);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Debug, Message = "Worker {WorkerId}'s report on task {TaskId} was refused: {Code}")]
    private static partial void LogRefused(ILogger logger, string workerId, string taskId, string code);

    [LoggerMessage(EventId = 5115, Level = LogLevel.Warning, Message = "Keeping the lease of task {TaskId} on worker {WorkerId} alive failed; trying again on the next beat")]
    private static partial void LogHeartbeatFailed(ILogger logger, string workerId, string taskId, Exception exception);
}
