using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>Every queue that holds tasks.</summary>
public sealed record QueueListResponse([property: JsonRequired] IReadOnlyList<QueueDto> Queues);
