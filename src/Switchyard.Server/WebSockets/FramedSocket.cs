using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Switchyard.Server.WebSockets;

/// <summary>
/// A WebSocket carrying whole text messages: reads one message at a time up to a size cap, and sends
/// from a bounded queue on one loop (a WebSocket allows one send at a time). A peer that lets the queue
/// fill up is too slow and gets closed; enqueueing never blocks the caller.
/// </summary>
internal sealed class FramedSocket : IAsyncDisposable
{
    public const int MaxMessageBytes = 1024 * 1024;
    public const int OutboundLimit = 65_536;

    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _outbound = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(OutboundLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _sending;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    public FramedSocket(WebSocket socket)
    {
        _socket = socket;
        _sending = Task.Run(SendLoopAsync);
    }

    public bool IsOpen => _socket.State == WebSocketState.Open && !_closing.IsCancellationRequested;

    /// <summary>Queues a message; false when the socket is closing or the peer is too slow (then it is closed).</summary>
    public bool TrySend(byte[] utf8)
    {
        if (_closing.IsCancellationRequested)
        {
            return false;
        }

        if (_outbound.Writer.TryWrite(utf8))
        {
            return true;
        }

        _closing.Cancel();
        return false;
    }

    /// <summary>Reads the next whole text message; null when the peer closed. Throws <see cref="MessageTooBigException"/> past the cap.</summary>
    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length >= MaxMessageBytes)
                {
                    throw new MessageTooBigException();
                }

                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaxMessageBytes));
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
            if (length > MaxMessageBytes)
            {
                throw new MessageTooBigException();
            }

            if (result.EndOfMessage)
            {
                return _buffer.AsMemory(0, length);
            }
        }
    }

    /// <summary>
    /// Hands every message to <paramref name="handle"/>, one after another, until the peer closes (answered with a
    /// normal close), sends one over the cap (closed with MessageTooBig), or the connection fails or is cancelled.
    /// </summary>
    public async Task ReadAllAsync(Func<ReadOnlyMemory<byte>, Task> handle, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadOnlyMemory<byte>? message;
            try
            {
                message = await ReceiveAsync(cancellationToken);
            }
            catch (MessageTooBigException ex)
            {
                await CloseAsync(WebSocketCloseStatus.MessageTooBig, ex.Message, TimeSpan.FromSeconds(1));
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                return;
            }

            if (message is not { } bytes)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(5));
                return;
            }

            await handle(bytes);
        }
    }

    /// <summary>Flushes what is queued (for at most <paramref name="flushFor"/>) and closes with <paramref name="status"/>.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, TimeSpan flushFor)
    {
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
                await _socket.CloseOutputAsync(status, description, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer is gone; nothing left to tell it.
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
            // Sending stops when the socket does.
        }

        _closing.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await _outbound.Reader.WaitToReadAsync(_closing.Token))
            {
                while (_outbound.Reader.TryRead(out var message))
                {
                    await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _closing.Token);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            await _closing.CancelAsync();
        }
    }
}
