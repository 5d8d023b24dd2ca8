using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>The tasks leased to the worker, each with its <c>lease.token</c>; empty when no work arrived in time.</summary>
public sealed record ClaimTasksResponse([property: JsonRequired] IReadOnlyList<TaskDto> Tasks);
