using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>
/// Why a stream skipped events. <c>stream.lost</c>: the resume point is older than the server keeps; the stream
/// continues at <see cref="ResumedAt"/>. <c>stream.dropped</c>: the subscriber fell <see cref="Behind"/> events behind,
/// more than the server keeps, and the stream ends. <see cref="Requested"/> is the first event asked for (the one after
/// the resume point). <see cref="Missed"/> counts events of every type; it is written as null when unknown.
/// </summary>
public sealed record EventNoticeDto(
    long Requested,
    long? ResumedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Missed,
    long? Behind,
    string Message);
