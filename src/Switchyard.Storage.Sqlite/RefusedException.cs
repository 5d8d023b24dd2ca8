using Switchyard.Core.Model;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// Thrown by a write command that must undo what it already wrote and refuse with <see cref="Error"/>.
/// Commands throw it before touching memory, so the writer only rolls back the command's savepoint.
/// </summary>
internal sealed class RefusedException(OperationError error) : Exception(error.Message)
{
    public OperationError Error { get; } = error;
}
