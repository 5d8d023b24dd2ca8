using Switchyard.Core.Model;

namespace Switchyard.Core.Events;

/// <summary>
/// What an event tells about its task: where it runs and how far it is, the result when it finished (or waits for
/// review), the error when it failed or will be retried, the reason when it was cancelled. Never the payload.
/// </summary>
public sealed record TaskSummary(
    string Type,
    string Queue,
    string Group,
    string Scope,
    TaskState State,
    int Attempt,
    int MaxAttempts,
    int Priority,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The label that names a task's project until tasks carry a project id of their own.</summary>
    public const string ProjectLabel = "project";

    public TaskProgress? Progress { get; init; }

    public JsonText? Result { get; init; }

    /// <summary>True when the task has a result but it was longer than the bus carries; read the task for it.</summary>
    public bool ResultOmitted { get; init; }

    public TaskError? Error { get; init; }

    public string? Reason { get; init; }

    public string? Project => Labels.TryGetValue(ProjectLabel, out var project) ? project : null;

    public static TaskSummary Of(TaskRecord task, string? reason, int maxResultChars)
    {
        var carriesResult = task.State is TaskState.Completed or TaskState.Review && task.Result is not null;
        var resultFits = carriesResult && task.Result!.Value.ToString().Length <= maxResultChars;
        return new TaskSummary(task.Type, task.Queue, task.Group, task.Scope, task.State, task.Attempt, task.MaxAttempts, task.Priority, task.Labels)
        {
            Progress = task.Progress,
            Result = resultFits ? task.Result : null,
            ResultOmitted = carriesResult && !resultFits,
            Error = task.State is TaskState.Failed or TaskState.Queued or TaskState.Scheduled ? task.Error : null,
            Reason = task.State == TaskState.Cancelled ? reason : null,
        };
    }
}
