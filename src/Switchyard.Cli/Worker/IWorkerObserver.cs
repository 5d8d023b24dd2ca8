using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Worker;

/// <summary>What an <see cref="ExecWorker"/> tells the world; calls may come from several threads at once.</summary>
internal interface IWorkerObserver
{
    void WorkerStarted(ExecWorkerOptions options);

    /// <summary>A task's command started as process <paramref name="processId"/>.</summary>
    void TaskStarted(TaskDto task, int processId);

    void TaskFinished(TaskReport report);

    /// <summary>Something worth a line: a claim that failed and will be retried, a shutdown step.</summary>
    void Notice(string message);
}
