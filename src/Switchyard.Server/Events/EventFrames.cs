using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Core.Events;
using Switchyard.Core.Model;

namespace Switchyard.Server.Events;

/// <summary>Events and notices as the stream sends them: <see cref="EventDto"/> in compact JSON.</summary>
internal static class EventFrames
{
    public const string Open = "stream.open";
    public const string Heartbeat = "stream.heartbeat";

    public static EventDto ToDto(this TaskEvent e) => new()
    {
        Seq = e.Seq,
        Type = e.Type,
        TaskId = e.TaskId,
        CorrelationId = e.CorrelationId,
        Time = e.Time,
        Data = e.Data.ToDto(),
    };

    public static EventDataDto ToDto(this TaskSummary s) => new()
    {
        Type = s.Type,
        Queue = s.Queue,
        Group = s.Group,
        Scope = s.Scope,
        State = s.State.ToName(),
        Attempt = s.Attempt,
        MaxAttempts = s.MaxAttempts,
        Priority = s.Priority,
        Labels = s.Labels,
        Progress = s.Progress is { } p ? new ProgressDto(p.Percent, p.Message, p.Data) : null,
        Result = s.Result,
        ResultOmitted = s.ResultOmitted ? true : null,
        Error = s.Error is { } e ? new TaskErrorDto(e.Code, e.Message, e.Kind.ToName(), e.Details) : null,
        Reason = s.Reason,
    };

    public static EventDto ToDto(this EventNotice n, DateTimeOffset time) => new()
    {
        Seq = n.Seq,
        Type = n.Type,
        Time = time,
        Notice = new EventNoticeDto(n.Requested, n.ResumedAt, n.Missed, n.Behind, n.Message),
    };

    /// <summary>A frame about the stream itself (<see cref="Open"/>, <see cref="Heartbeat"/>) at position <paramref name="seq"/>.</summary>
    public static EventDto Stream(string type, long seq, DateTimeOffset time) => new() { Seq = seq, Type = type, Time = time };

    /// <summary>The event's JSON, encoded once and shared by every subscriber that sends it.</summary>
    public static byte[] Encode(TaskEvent e) => e.Encoded(static x => Encode(x.ToDto()));

    public static byte[] Encode(EventDto frame) => JsonSerializer.SerializeToUtf8Bytes(frame, ContractsJsonContext.Wire.EventDto);
}
