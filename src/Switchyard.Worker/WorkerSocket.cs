using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Switchyard.Client.Contracts.Worker;

namespace Switchyard.Worker;

/// <summary>
/// The client end of <c>/ws/v1/worker</c>: whole JSON text frames in both directions, sent in order from one
/// loop (a WebSocket allows one send at a time) out of a bounded queue, so a fast producer waits rather than
/// piling up frames. Frames are at most <see cref="MaxFrameBytes"/>, as the server accepts.
/// </summary>
internal sealed class WorkerSocket : IAsyncDisposable
{
    public const int MaxFrameBytes = 1024 * 1024;
    private const int OutboundLimit = 1024;

    private readonly ClientWebSocket _socket;
    private readonly Channel<byte[]> _outbound = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(OutboundLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _sending;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    private WorkerSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _sending = Task.Run(SendLoopAsync);
    }

    /// <summary>Upgrades to a WebSocket; throws <see cref="SwitchyardWorkerException"/> when the server refuses the key.</summary>
    public static async Task<WorkerSocket> ConnectAsync(Uri uri, string? apiKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        socket.Options.CollectHttpResponseDetails = true;
        if (!string.IsNullOrEmpty(apiKey))
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(uri, limit.Token);
            return new WorkerSocket(socket);
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            socket.Dispose();
            throw new SwitchyardWorkerException($"The server at {uri} refused the worker's API key ({(int)socket.HttpStatusCode}).", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Connecting to {uri} took longer than {timeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static byte[] Serialize(WorkerMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, WorkerProtocolJsonContext.Default.WorkerMessage);

    /// <summary>Queues a frame, waiting while the queue is full; false once the socket is closing.</summary>
    public async ValueTask<bool> SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            while (await _outbound.Writer.WaitToWriteAsync(cancellationToken))
            {
                if (_outbound.Writer.TryWrite(frame))
                {
                    return true;
                }
            }
        }
        catch (ChannelClosedException)
        {
        }

        return false;
    }

    public ValueTask<bool> SendAsync(WorkerMessage message, CancellationToken cancellationToken) => SendAsync(Serialize(message), cancellationToken);

    /// <summary>
    /// Reads the next frame: a message, <see cref="UnreadableFrame"/> for a frame this client does not understand (a newer server's),
    /// or null when the server closed the connection.
    /// </summary>
    public async Task<WorkerMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length >= MaxFrameBytes)
                {
                    throw new WebSocketException(WebSocketError.Faulted, $"The server sent a frame over {MaxFrameBytes} bytes.");
                }

                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaxFrameBytes));
                _buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return Parse(_buffer.AsSpan(0, length));
            }
        }
    }

    /// <summary>This side started closing (the worker is stopping).</summary>
    public bool ClosedByWorker { get; private set; }

    public string? CloseDescription => _socket.CloseStatus is { } status ? $"{status} {_socket.CloseStatusDescription}".Trim() : null;

    /// <summary>Sends what is queued (for at most <paramref name="flushFor"/>), then says goodbye.</summary>
    public async Task CloseAsync(TimeSpan flushFor)
    {
        ClosedByWorker = true;
        _outbound.Writer.TryComplete();
        try
        {
            await _sending.WaitAsync(flushFor);
        }
        catch (TimeoutException)
        {
            await _closing.CancelAsync();
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server is gone; nothing left to tell it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outbound.Writer.TryComplete();
        await _closing.CancelAsync();
        try
        {
            await _sending;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Sending stops with the socket.
        }

        _socket.Dispose();
        _closing.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }

    private static WorkerMessage Parse(ReadOnlySpan<byte> frame)
    {
        try
        {
            return JsonSerializer.Deserialize(frame, WorkerProtocolJsonContext.Default.WorkerMessage) ?? new UnreadableFrame("null");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return new UnreadableFrame(ex.Message);
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await _outbound.Reader.WaitToReadAsync(_closing.Token))
            {
                while (_outbound.Reader.TryRead(out var frame))
                {
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _closing.Token);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _outbound.Writer.TryComplete();
            await _closing.CancelAsync();
        }
    }
}
