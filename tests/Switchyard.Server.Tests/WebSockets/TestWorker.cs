using System.Net.WebSockets;
using System.Text.Json;
using Switchyard.Client.Contracts.Worker;

namespace Switchyard.Server.Tests.WebSockets;

/// <summary>A bare worker-protocol client over a real WebSocket, frame by frame, for tests.</summary>
public sealed class TestWorker : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[1024 * 1024];

    public WelcomeMessage Welcome { get; private set; } = null!;

    public static async Task<TestWorker> ConnectAsync(TestServer server, HelloMessage hello, Action<ClientWebSocketOptions>? options = null)
    {
        var worker = await OpenAsync(server, options);
        await worker.SendAsync(hello);
        worker.Welcome = Assert.IsType<WelcomeMessage>(await worker.ReceiveAsync());
        return worker;
    }

    /// <summary>Opens the WebSocket and sends nothing yet.</summary>
    public static async Task<TestWorker> OpenAsync(TestServer server, Action<ClientWebSocketOptions>? options = null)
    {
        var worker = new TestWorker();
        options?.Invoke(worker._socket.Options);
        var uri = new UriBuilder(server.Http.BaseAddress!) { Scheme = "ws", Path = "/ws/v1/worker" }.Uri;
        try
        {
            await worker._socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }

        return worker;
    }

    public async Task SendAsync(WorkerMessage message) =>
        await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, WorkerProtocolJsonContext.Default.WorkerMessage),
            WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    /// <summary>Sends <paramref name="text"/> as it is, for frames a typed message cannot express.</summary>
    public async Task SendRawAsync(string text) =>
        await _socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    public async Task<WorkerMessage> ReceiveAsync(TimeSpan? timeout = null) =>
        await ReceiveFrameAsync(timeout) ?? throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");

    /// <summary>
    /// Reads until the server ends the connection, failing on any other frame: its close status, or null when the
    /// server dropped the connection without a close frame.
    /// </summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        try
        {
            var frame = await ReceiveFrameAsync(null);
            Assert.Null(frame);
            return _socket.CloseStatus;
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    private async Task<WorkerMessage?> ReceiveFrameAsync(TimeSpan? timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30)); // a hang bound, generous for a loaded machine
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize(_buffer.AsSpan(0, length), WorkerProtocolJsonContext.Default.WorkerMessage)!;
            }
        }
    }

    public async Task<T> ReceiveAsync<T>()
        where T : WorkerMessage => Assert.IsType<T>(await ReceiveAsync());

    /// <summary>Drops the connection without a close handshake, like a crashed worker.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException)
            {
                // The server may already be gone.
            }
        }

        _socket.Dispose();
    }
}
