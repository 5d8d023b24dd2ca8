using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchyard.Storage.Conformance.Postgres;

/// <summary>
/// A TCP relay between the store and PostgreSQL on loopback that can lose one answer: once armed with a piece of SQL,
/// the first connection that sends it gets its statement through to the server, which runs it to the end, and then
/// loses the connection instead of the answer (the client sees the stream end). As a network that fails at the worst
/// moment would.
/// </summary>
internal sealed class LostReplyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _relays = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private byte[]? _marker;

    public LostReplyProxy(string host, int port)
    {
        _server = new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes when an answer was lost (the server had answered the armed statement in full).</summary>
    public TaskCompletionSource Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next connection that sends <paramref name="sql"/> loses the answer to it.</summary>
    public void Arm(string sql)
    {
        lock (_gate)
        {
            _marker = Encoding.UTF8.GetBytes(sql);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([_accepting, .. _relays]).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_gate)
                {
                    _relays.Add(RelayAsync(client));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await server.ConnectAsync(_server, cut.Token);
            var doomed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var up = PumpAsync(client.GetStream(), server.GetStream(), doomed, cut.Token);
            var down = PumpDownAsync(server.GetStream(), client.GetStream(), doomed.Task, cut);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // one side went away: so does the other (the usings close both)
        }
        finally
        {
            await cut.CancelAsync();
        }
    }

    /// <summary>Client to server; marks the connection doomed when the armed SQL goes through it (and disarms).</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, TaskCompletionSource doomed, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            lock (_gate)
            {
                if (_marker is { } marker && buffer.AsSpan(0, read).IndexOf(marker) >= 0)
                {
                    _marker = null;
                    doomed.TrySetResult();
                }
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    /// <summary>Server to client; once the connection is doomed, the server's answer is dropped and the connection cut.</summary>
    private async Task PumpDownAsync(NetworkStream from, NetworkStream to, Task doomed, CancellationTokenSource cut)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cut.Token)) > 0)
        {
            if (doomed.IsCompleted)
            {
                // The answer has begun to arrive; wait for the rest of it (ReadyForQuery, 'Z', ends it), then cut.
                while (!EndsWithReadyForQuery(buffer.AsSpan(0, read)) && (read = await from.ReadAsync(buffer, cut.Token)) > 0)
                {
                }

                Lost.TrySetResult();
                await cut.CancelAsync();
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cut.Token);
        }
    }

    /// <summary>Whether a chunk of the server's stream ends with a ReadyForQuery message ('Z', length 5, status).</summary>
    private static bool EndsWithReadyForQuery(ReadOnlySpan<byte> chunk) =>
        chunk.Length >= 6 && chunk[^6] == (byte)'Z' && chunk[^5] == 0 && chunk[^4] == 0 && chunk[^3] == 0 && chunk[^2] == 5;
}
