using System.Text.Json.Nodes;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Worker;

/// <summary>
/// Turns what a handler threw into the task's error: a <see cref="TaskFailedException"/> says its own code, kind and
/// retry delay; anything else is retryable <c>handler_error</c> with the exception's message.
/// </summary>
internal static class ErrorClassifier
{
    public const string HandlerError = "handler_error";

    public static (TaskErrorDto Error, long? RetryAfterMs) Classify(Exception exception)
    {
        if (exception is TaskFailedException failed)
        {
            var retryAfter = failed.RetryAfter is { } delay ? (long)Math.Max(0, delay.TotalMilliseconds) : (long?)null;
            return (new TaskErrorDto(failed.Code, MessageOf(failed), failed.Kind.ToName(), failed.Details), retryAfter);
        }

        var details = new JsonObject { ["exception"] = exception.GetType().FullName };
        return (new TaskErrorDto(HandlerError, MessageOf(exception), ErrorKind.Retryable.ToName(), new JsonText(details.ToJsonString())), null);
    }

    private static string MessageOf(Exception exception) =>
        string.IsNullOrWhiteSpace(exception.Message) ? exception.GetType().Name : exception.Message;
}
