using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts;

/// <summary>
/// A task type: payload JSON Schema, defaults for its tasks, concurrency across the store, usual duration.
/// Body of <c>PUT /api/v1/task-types/{type}</c> (there <c>type</c> may be left out; <c>source</c> and <c>updatedAt</c> are ignored).
/// </summary>
public sealed record TaskTypeDto
{
    public string? Type { get; init; }
    public string? Description { get; init; }
    public JsonText? PayloadSchema { get; init; }
    public TaskTypeDefaultsDto? Defaults { get; init; }
    public int? Concurrency { get; init; }
    public long? EstimatedDurationMs { get; init; }

    /// <summary><c>file</c> (the server's types file) or <c>api</c>.</summary>
    public string? Source { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
