using System.Net.WebSockets;

namespace Switchyard.Server.WebSockets;

/// <summary>
/// The server's side of <c>terminate</c>, for every worker protocol: once the grace period has passed on the
/// server's clock, the connection is closed ("terminated") and its read loop stopped, whatever the worker does;
/// the worker's held tasks then go to their retry policy, as on any disconnect.
/// </summary>
internal sealed class Termination(TimeProvider time) : IDisposable
{
    private readonly CancellationTokenSource _due = new(Timeout.InfiniteTimeSpan, time);

    /// <summary>Fires when the worker is to be disconnected.</summary>
    public CancellationToken Due => _due.Token;

    /// <summary>Disconnects the worker <paramref name="grace"/> from now (a second terminate sets the time anew).</summary>
    public void After(TimeSpan grace)
    {
        try
        {
            _due.CancelAfter(grace);
        }
        catch (ObjectDisposedException)
        {
            // Already disconnected.
        }
    }

    /// <summary>
    /// When due, sends what is queued (the <c>terminate</c> among it) and the close frame, then gives the worker
    /// <see cref="ShutdownClose.Linger"/> to answer it, as a shutdown's close does (the read loop then ends by itself),
    /// before cancelling <paramref name="stop"/>.
    /// Cancelling at once would abort the socket while those frames may still be on their way, and a reset connection
    /// loses them: the worker would see a dropped connection, not a terminate, and reconnect.
    /// </summary>
    public CancellationTokenRegistration DropWhenDue(FramedSocket socket, CancellationTokenSource stop) =>
        Due.Register(() => _ = DropAsync(socket, stop));

    public void Dispose() => _due.Dispose();

    private static async Task DropAsync(FramedSocket socket, CancellationTokenSource stop)
    {
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "terminated", TimeSpan.FromSeconds(1));
            stop.CancelAfter(ShutdownClose.Linger);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }
}
