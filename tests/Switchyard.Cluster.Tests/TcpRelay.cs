using System.Net;
using System.Net.Sockets;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// A loopback TCP relay to another host and port that a test can cut (every connection dropped, new ones refused) and mend
/// on the same port: a database that goes away and comes back, as the server's connections see it.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _running = new();
    private Task _accepting = Task.CompletedTask;

    public TcpRelay(string host, int port)
    {
        (_host, _port) = (host, port);
        Port = Listen(0);
    }

    public int Port { get; }

    /// <summary>Drops every connection and refuses new ones.</summary>
    public async Task CutAsync()
    {
        await _running.CancelAsync();
        _listener?.Stop();
        lock (_open)
        {
            _open.ForEach(c => c.Dispose());
            _open.Clear();
        }

        await _accepting;
    }

    /// <summary>Takes connections again, on the same port.</summary>
    public void Mend()
    {
        _running.Dispose();
        _running = new CancellationTokenSource();
        Listen(Port);
    }

    public async ValueTask DisposeAsync()
    {
        await CutAsync();
        _running.Dispose();
    }

    private int Listen(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _running.Token);
        return ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_host, _port, stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = PipeAsync(inbound, outbound);
            _ = PipeAsync(outbound, inbound);
        }
    }

    private static async Task PipeAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
