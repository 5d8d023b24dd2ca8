using System.Text.Json;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.WebSockets;

/// <summary>The dispatcher's handle on a worker speaking Switchyard's own protocol.</summary>
internal sealed class WorkerLink(FramedSocket socket, TimeProvider time) : IWorkerLink, IDisposable
{
    /// <summary>Drops the worker when a terminate's grace period has passed.</summary>
    public Termination Termination { get; } = new(time);

    public bool TryPush(TaskRecord task) => Send(new TaskMessage(task.ToDto()));

    public void Cancel(string taskId, string reason) => Send(new CancelMessage(taskId, reason));

    public void Quiet() => Send(new QuietMessage());

    /// <summary>Tells the worker to finish within <paramref name="grace"/>; the server closes the connection after that.</summary>
    public void Terminate(TimeSpan grace)
    {
        Send(new TerminateMessage((long)grace.TotalMilliseconds));
        Termination.After(grace);
    }

    public bool Send(WorkerMessage message) =>
        socket.TrySend(JsonSerializer.SerializeToUtf8Bytes(message, WorkerProtocolJsonContext.Wire.WorkerMessage));

    public void Dispose() => Termination.Dispose();
}
