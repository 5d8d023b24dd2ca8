using Switchyard.Core.Model;

namespace Switchyard.Server.SystemTasks;

/// <summary>Why a system task failed: its error as stored on the task.</summary>
internal sealed class SystemTaskFailure : Exception
{
    private const string DefaultCode = "system_task_failed";

    public SystemTaskFailure()
        : this("The system task failed.")
    {
    }

    public SystemTaskFailure(string message)
        : this(new TaskError(DefaultCode, message, ErrorKind.Retryable))
    {
    }

    public SystemTaskFailure(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new TaskError(DefaultCode, message, ErrorKind.Retryable);
    }

    public SystemTaskFailure(TaskError error)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public TaskError Error { get; }

    public static SystemTaskFailure Invalid(string message) => new(new TaskError("invalid_payload", $"db.maintenance: {message}", ErrorKind.Fatal));
}
