using System.Net.WebSockets;

namespace Switchyard.Server.Events;

/// <summary>Sends each frame as one WebSocket text message; a heartbeat is a <c>stream.heartbeat</c> frame.</summary>
internal sealed class SocketSink(WebSocket socket, TimeProvider time) : IEventSink
{
    public ValueTask WriteAsync(long id, string type, byte[] json, CancellationToken cancellationToken) =>
        socket.SendAsync(json.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask HeartbeatAsync(long position, CancellationToken cancellationToken) =>
        WriteAsync(position, EventFrames.Heartbeat, EventFrames.Encode(EventFrames.Stream(EventFrames.Heartbeat, position, time.GetUtcNow())), cancellationToken);
}
