namespace Switchyard.Core.Model;

/// <summary>Why an operation was refused: a stable <see cref="Code"/> (see <see cref="ErrorCodes"/>) and a message that says what was wrong.</summary>
public sealed record OperationError(string Code, string Message, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static OperationError NotFound(string taskId) =>
        new(ErrorCodes.NotFound, $"Task '{taskId}' was not found or its result has expired.");

    public static OperationError Validation(string message) => new(ErrorCodes.ValidationFailed, message);

    public static OperationError Validation(string field, string message) =>
        new(ErrorCodes.ValidationFailed, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });
}
