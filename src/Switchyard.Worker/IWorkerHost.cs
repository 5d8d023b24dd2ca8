using Switchyard.Client.Contracts;

namespace Switchyard.Worker;

/// <summary>What a connection asks of the worker it belongs to.</summary>
internal interface IWorkerHost
{
    /// <summary>A task was pushed on <paramref name="session"/>: run it.</summary>
    void StartRun(TaskDto task, ProtocolSession session);

    /// <summary>The server asked the worker to finish within <paramref name="grace"/> and close.</summary>
    void Terminate(TimeSpan grace);
}
