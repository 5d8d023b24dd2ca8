using System.Text.Json.Serialization;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// One notification's payload: the node that sent it and its notices (moves, expired tasks, progress reports, a controls
/// change, a change of its push workers, commands for another node's workers). Expiries and commands have keys of their
/// own, which nodes of versions before them skip.
/// </summary>
internal sealed record PgNoticeBatch(
    [property: JsonPropertyName("o")] string Origin,
    [property: JsonPropertyName("m")] PgMoveNotice[]? Moves = null,
    [property: JsonPropertyName("xp")] PgMoveNotice[]? Expired = null,
    [property: JsonPropertyName("p")] PgProgressNotice[]? Progress = null,
    [property: JsonPropertyName("k")] bool Controls = false,
    [property: JsonPropertyName("w")] bool Workers = false,
    [property: JsonPropertyName("wc")] PgWorkerCommandNotice[]? Commands = null);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(PgNoticeBatch))]
[JsonSerializable(typeof(PgMoveNotice))]
[JsonSerializable(typeof(PgProgressNotice))]
[JsonSerializable(typeof(PgWorkerCommandNotice))]
[JsonSerializable(typeof(string))]
internal sealed partial class PgNoticeJson : JsonSerializerContext;
