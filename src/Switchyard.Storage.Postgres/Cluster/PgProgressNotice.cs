using System.Text.Json.Serialization;
using Switchyard.Core.Model;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>One progress report of a running task as a notice (<see cref="Progress"/> as the store writes it).</summary>
internal sealed record PgProgressNotice(
    [property: JsonPropertyName("i")] string TaskId,
    [property: JsonPropertyName("v")] long LeaseToken,
    [property: JsonPropertyName("p")] JsonText Progress);
