using Switchyard.Core.Model;

namespace Switchyard.Core.Types;

/// <summary>
/// A registered task type: what its payload must look like (a JSON Schema), the defaults its tasks get,
/// how many of its tasks may run at once across the store, and how long one usually takes.
/// </summary>
public sealed record TaskTypeDefinition
{
    public required string Type { get; init; }
    public string? Description { get; init; }

    /// <summary>JSON Schema every payload of this type must satisfy; null accepts any payload.</summary>
    public JsonText? PayloadSchema { get; init; }

    public TaskTypeDefaults Defaults { get; init; } = TaskTypeDefaults.None;

    /// <summary>Most tasks of this type running at once, across every queue of the store; null = no limit.</summary>
    public int? Concurrency { get; init; }

    /// <summary>How long a task of this type usually runs (informational: events, dashboards).</summary>
    public long? EstimatedDurationMs { get; init; }

    public TaskTypeSource Source { get; init; }

    /// <summary>When the store last wrote this definition; set by the store.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
