using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>A page of tasks, newest first; pass <c>nextCursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record TaskListResponse([property: JsonRequired] IReadOnlyList<TaskDto> Tasks, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
