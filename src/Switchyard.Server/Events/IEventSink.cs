namespace Switchyard.Server.Events;

/// <summary>Where an event stream is written: server-sent events or a WebSocket.</summary>
internal interface IEventSink
{
    /// <summary>Writes one frame (an SSE event with <c>id</c>, <c>event</c> and <c>data</c>, or one WebSocket message); may buffer until <see cref="FlushAsync"/>.</summary>
    ValueTask WriteAsync(long id, string type, byte[] json, CancellationToken cancellationToken);

    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Tells the peer (and any proxy between) the stream is alive; <paramref name="position"/> is the last event it passed.</summary>
    ValueTask HeartbeatAsync(long position, CancellationToken cancellationToken);
}
