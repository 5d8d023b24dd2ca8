using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>Answer of <c>GET /api/v1/task-types</c>, and the shape of a types file.</summary>
public sealed record TaskTypeListResponse([property: JsonRequired] IReadOnlyList<TaskTypeDto> Types);
