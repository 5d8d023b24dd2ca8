using System.Text.Json.Serialization;
using Switchyard.Core.Cluster;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>A <see cref="WorkerCommand"/> as a notice: carried out by the node named, ignored by the others.</summary>
internal sealed record PgWorkerCommandNotice(
    [property: JsonPropertyName("n")] string NodeId,
    [property: JsonPropertyName("w")] string WorkerId,
    [property: JsonPropertyName("t")] bool Terminate,
    [property: JsonPropertyName("g")] long GraceMs)
{
    public static PgWorkerCommandNotice Of(WorkerCommand command) => new(command.NodeId, command.WorkerId, command.Terminate, command.GraceMs);

    public WorkerCommand ToCommand() => new(NodeId, WorkerId, Terminate, GraceMs);
}
