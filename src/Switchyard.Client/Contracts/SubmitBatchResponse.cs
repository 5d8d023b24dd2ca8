using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>What a batch stored, in request order.</summary>
public sealed record SubmitBatchResponse([property: JsonRequired] IReadOnlyList<SubmittedTaskDto> Tasks);
