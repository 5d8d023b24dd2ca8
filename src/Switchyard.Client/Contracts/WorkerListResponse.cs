using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>Every connected push worker.</summary>
public sealed record WorkerListResponse([property: JsonRequired] IReadOnlyList<WorkerDto> Workers);
