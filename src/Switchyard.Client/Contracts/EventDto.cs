namespace Switchyard.Client.Contracts;

/// <summary>
/// One frame of the event stream (<c>GET /api/v1/events</c>, <c>/ws/v1/events</c>): a task event
/// <c>{seq, type, taskId, correlationId, time, data}</c> with a <c>task.*</c> type, or a notice about the stream with a
/// <c>stream.*</c> type (<c>stream.open</c>, <c>stream.lost</c>, <c>stream.dropped</c>, <c>stream.heartbeat</c>) and,
/// for lost and dropped, a <see cref="Notice"/>. A notice's <see cref="Seq"/> is the stream's position: resume after it.
/// </summary>
public sealed record EventDto
{
    public long Seq { get; init; }

    public required string Type { get; init; }

    public string? TaskId { get; init; }

    public string? CorrelationId { get; init; }

    public DateTimeOffset Time { get; init; }

    public EventDataDto? Data { get; init; }

    public EventNoticeDto? Notice { get; init; }

    /// <summary>True for <c>stream.*</c> frames, which are about the stream, not a task.</summary>
    public bool IsStreamNotice() => Type.StartsWith("stream.", StringComparison.Ordinal);
}
