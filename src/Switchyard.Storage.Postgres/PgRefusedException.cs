using Switchyard.Core.Model;

namespace Switchyard.Storage.Postgres;

/// <summary>Thrown inside a store call to roll its transaction back and answer <see cref="Error"/> instead.</summary>
internal sealed class PgRefusedException(OperationError error) : Exception(error.Message)
{
    public OperationError Error { get; } = error;
}
