namespace Switchyard.Core.Events;

/// <summary>
/// What a subscriber is told about its own stream. <see cref="Lost"/>: it asked to resume from a point the ring no
/// longer holds, and continues from <see cref="ResumedAt"/>. <see cref="Dropped"/>: it fell more than the ring behind
/// and its subscription ended; resuming from <see cref="Seq"/> tells it what was lost.
/// </summary>
/// <param name="Type"><see cref="Lost"/> or <see cref="Dropped"/>.</param>
/// <param name="Seq">The last event the stream accounted for: resume after it.</param>
/// <param name="Requested">The first event the subscriber wanted (lost) or was about to read (dropped).</param>
/// <param name="ResumedAt">The first event it will get (lost only).</param>
/// <param name="Missed">Events skipped (of every type, not only those the filter lets through); null when unknown.</param>
/// <param name="Behind">How many events were waiting for the subscriber when it was dropped (dropped only).</param>
/// <param name="Message">The same in words.</param>
public sealed record EventNotice(string Type, long Seq, long Requested, long? ResumedAt, long? Missed, long? Behind, string Message)
{
    public const string Lost = "stream.lost";
    public const string Dropped = "stream.dropped";
}
