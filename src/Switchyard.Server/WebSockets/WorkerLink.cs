using System.Text.Json;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.WebSockets;

/// <summary>The dispatcher's handle on a worker speaking Switchyard's own protocol.</summary>
internal sealed class WorkerLink(FramedSocket socket) : IWorkerLink
{
    public bool TryPush(TaskRecord task) => Send(new TaskMessage(task.ToDto()));

    public void Cancel(string taskId, string reason) => Send(new CancelMessage(taskId, reason));

    public void Quiet() => Send(new QuietMessage());

    public void Terminate(TimeSpan grace) => Send(new TerminateMessage((long)grace.TotalMilliseconds));

    public bool Send(WorkerMessage message) =>
        socket.TrySend(JsonSerializer.SerializeToUtf8Bytes(message, WorkerProtocolJsonContext.Default.WorkerMessage));
}
