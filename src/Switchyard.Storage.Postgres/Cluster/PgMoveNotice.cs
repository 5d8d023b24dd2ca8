using System.Text.Json.Serialization;
using Switchyard.Core.Model;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// One committed move as a notice: what its event tells, under short names (a notification carries at most 8000
/// bytes). <see cref="Thin"/>: the labels, result, error and progress did not fit and are read from the task.
/// <see cref="Expired"/>: not a move but the task's deletion by the retention cleaner; it tells the task as it was, under
/// the history id of its last move (it continues its task's chain right after that move).
/// </summary>
internal sealed record PgMoveNotice
{
    [JsonPropertyName("h")] public long HistoryId { get; init; }
    [JsonPropertyName("i")] public required string Id { get; init; }
    [JsonPropertyName("t")] public required string Trigger { get; init; }
    [JsonPropertyName("f")] public string? From { get; init; }
    [JsonPropertyName("s")] public required string State { get; init; }
    [JsonPropertyName("u")] public long UpdatedAt { get; init; }
    [JsonPropertyName("y")] public required string Type { get; init; }
    [JsonPropertyName("q")] public required string Queue { get; init; }
    [JsonPropertyName("g")] public required string Group { get; init; }
    [JsonPropertyName("sc")] public required string Scope { get; init; }
    [JsonPropertyName("a")] public int Attempt { get; init; }
    [JsonPropertyName("ma")] public int MaxAttempts { get; init; }
    [JsonPropertyName("pr")] public int Priority { get; init; }
    [JsonPropertyName("c")] public string? CorrelationId { get; init; }
    [JsonPropertyName("l")] public Dictionary<string, string>? Labels { get; init; }
    [JsonPropertyName("p")] public JsonText? Progress { get; init; }
    [JsonPropertyName("r")] public JsonText? Result { get; init; }
    [JsonPropertyName("e")] public JsonText? Error { get; init; }
    [JsonPropertyName("lw")] public string? LeaseWorker { get; init; }
    [JsonPropertyName("lt")] public long? LeaseToken { get; init; }
    [JsonPropertyName("le")] public long? LeaseExpiresAt { get; init; }
    [JsonPropertyName("z")] public string? Reason { get; init; }
    [JsonPropertyName("x")] public bool Thin { get; init; }
    [JsonPropertyName("xp")] public bool Expired { get; init; }
}
