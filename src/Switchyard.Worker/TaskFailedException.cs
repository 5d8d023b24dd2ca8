using Switchyard.Core.Model;

namespace Switchyard.Worker;

/// <summary>
/// Thrown by a handler to fail the attempt with a classified error: <see cref="ErrorKind.Retryable"/> (another
/// attempt may succeed, after <see cref="RetryAfter"/> when given), <see cref="ErrorKind.Fatal"/> (it never will) or
/// <see cref="ErrorKind.UserActionable"/> (someone has to fix something first).
/// </summary>
public sealed class TaskFailedException : Exception
{
    public const string DefaultCode = "task_failed";

    public TaskFailedException()
        : this(DefaultCode, "The task failed.")
    {
    }

    public TaskFailedException(string message)
        : this(DefaultCode, message)
    {
    }

    public TaskFailedException(string message, Exception innerException)
        : this(DefaultCode, message, innerException: innerException)
    {
    }

    public TaskFailedException(
        string code, string message, ErrorKind kind = ErrorKind.Retryable, TimeSpan? retryAfter = null,
        JsonText? details = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Kind = kind;
        RetryAfter = retryAfter;
        Details = details;
    }

    /// <summary>Stable machine-readable code (<c>timeout</c>, <c>http_503</c>, <c>invalid_payload</c>...).</summary>
    public string Code { get; } = DefaultCode;

    public ErrorKind Kind { get; }

    /// <summary>For a retryable error: wait at least this long before the next attempt.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Technical details kept with the task's error (JSON).</summary>
    public JsonText? Details { get; }
}
