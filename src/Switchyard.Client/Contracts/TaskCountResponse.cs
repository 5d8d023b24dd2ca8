using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary><c>GET /api/v1/task-count</c>: how many tasks match (no more than the request's <c>limit</c>).</summary>
public sealed record TaskCountResponse([property: JsonRequired] long Count);
