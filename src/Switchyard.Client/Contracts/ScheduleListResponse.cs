using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>A page of schedules by id; pass <c>nextCursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record ScheduleListResponse([property: JsonRequired] IReadOnlyList<ScheduleDto> Schedules, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
