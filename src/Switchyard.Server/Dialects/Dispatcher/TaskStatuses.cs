using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// The dialect's four task statuses and how Switchyard's states map onto them: waiting states read as queued,
/// running (or held for review) as executing, cancelled as failed.
/// </summary>
internal static class TaskStatuses
{
    public const string Queued = "queued";
    public const string Executing = "executing";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public const string CancelledError = "Task cancelled";
    public const string UnknownError = "Task failed";

    public static string Of(TaskState state) => state switch
    {
        TaskState.Queued or TaskState.Scheduled or TaskState.Blocked => Queued,
        TaskState.Running or TaskState.Review => Executing,
        TaskState.Completed => Completed,
        _ => Failed,
    };

    /// <summary>The <c>error</c> text of a failed or cancelled task.</summary>
    public static string ErrorOf(TaskRecord task) =>
        task.State == TaskState.Cancelled ? CancelledError : task.Error?.Message ?? UnknownError;
}
