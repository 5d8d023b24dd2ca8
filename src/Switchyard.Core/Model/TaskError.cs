namespace Switchyard.Core.Model;

/// <summary>A task's error: a stable code, a message, its kind and optional details.</summary>
public sealed record TaskError(string Code, string Message, ErrorKind Kind, JsonText? Details = null)
{
    public string Code { get; init; } = FreeText.Clean(Code)!;

    public string Message { get; init; } = FreeText.Clean(Message)!;

    /// <summary>The deadline counted from submission passed (the dispatcher's "Task timeout").</summary>
    public static TaskError Timeout { get; } = new("timeout", "Task timeout", ErrorKind.Fatal);

    public static TaskError LeaseExpired { get; } =
        new("lease_expired", "The worker stopped heartbeating and its lease expired", ErrorKind.Retryable);
}
