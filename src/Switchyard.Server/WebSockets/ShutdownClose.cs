using System.Net.WebSockets;

namespace Switchyard.Server.WebSockets;

/// <summary>
/// A worker connection's part in the server's shutdown, for every worker protocol. The server told every worker to go
/// quiet; once this one holds nothing, its connection is closed as "going away", so the host need not wait out its
/// shutdown timeout for it. A worker still holding tasks may report them first. A worker that does not answer the
/// close within <see cref="Linger"/> is dropped.
/// </summary>
internal sealed class ShutdownClose(FramedSocket socket, Func<bool> holdsNothing)
{
    /// <summary>How long a worker has to answer the close frame before the connection is dropped (the real clock's time).</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);

    private CancellationToken _serverStopping;
    private CancellationTokenSource? _stop;
    private int _closing;

    /// <summary><paramref name="stop"/> ends the read loop; the connection closes when the server stops with the worker idle.</summary>
    public CancellationTokenRegistration Watch(CancellationTokenSource stop, CancellationToken serverStopping)
    {
        _serverStopping = serverStopping;
        _stop = stop;
        return serverStopping.Register(CloseIfIdle);
    }

    /// <summary>The worker let go of a task: while the server stops, the connection closes once it holds nothing.</summary>
    public void Released()
    {
        if (_serverStopping.IsCancellationRequested)
        {
            CloseIfIdle();
        }
    }

    private void CloseIfIdle()
    {
        if (holdsNothing() && Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _ = CloseAsync();
        }
    }

    private async Task CloseAsync()
    {
        await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", TimeSpan.FromSeconds(1));
        try
        {
            _stop?.CancelAfter(Linger);
        }
        catch (ObjectDisposedException)
        {
            // The worker answered the close and the connection ended.
        }
    }
}
