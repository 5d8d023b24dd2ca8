using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>A worker speaking the dispatcher dialect over a real WebSocket, frame by frame, as the origin's workers do.</summary>
public sealed class DialectWorker : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[1024 * 1024];

    public string WorkerId { get; private set; } = "";

    public JsonElement Connected { get; private set; }

    /// <summary>Connects to <paramref name="server"/>'s <c>/ws</c> (with <c>?group=</c> when <paramref name="group"/> is given) and reads <c>connected</c>.</summary>
    public static async Task<DialectWorker> ConnectAsync(Uri server, string? group = null)
    {
        var worker = new DialectWorker();
        var uri = new UriBuilder(server)
        {
            Scheme = "ws",
            Path = "/ws",
            Query = group is null ? "" : "group=" + Uri.EscapeDataString(group),
        }.Uri;
        await worker._socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        worker.Connected = await worker.ReceiveAsync("connected");
        worker.WorkerId = worker.Connected.GetProperty("workerId").GetString()!;
        return worker;
    }

    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    public Task ReadyAsync() => SendAsync("""{"type":"ready"}""");

    public Task CompleteAsync(string taskId, string resultJson, string type = "task_complete") =>
        SendAsync($$"""{"type":"{{type}}","taskId":"{{taskId}}","result":{{resultJson}},"duration":12}""");

    public Task FailAsync(string taskId, string error) =>
        SendAsync($$"""{"type":"task_error","taskId":"{{taskId}}","error":{{JsonSerializer.Serialize(error)}},"duration":7}""");

    /// <summary>The next frame, which must be of <paramref name="type"/>.</summary>
    public async Task<JsonElement> ReceiveAsync(string type, TimeSpan? timeout = null)
    {
        var frame = await ReceiveAsync(timeout);
        Assert.Equal(type, frame.GetProperty("type").GetString());
        return frame;
    }

    /// <summary>The next pushed task: its id and its payload.</summary>
    public async Task<(string TaskId, JsonElement Payload)> ReceiveTaskAsync(TimeSpan? timeout = null)
    {
        var frame = await ReceiveAsync("task", timeout);
        Assert.Equal(["type", "taskId", "payload"], frame.EnumerateObject().Select(p => p.Name));
        return (frame.GetProperty("taskId").GetString()!, frame.GetProperty("payload"));
    }

    /// <summary>
    /// Proves nothing was pushed before now: frames arrive in the order the server queued them, so the answer
    /// to a ping sent now comes after any task the server pushed earlier.
    /// </summary>
    public async Task AssertNothingPushedAsync()
    {
        await SendAsync("""{"type":"ping"}""");
        await ReceiveAsync("pong");
    }

    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(_buffer.AsMemory(0, length));
                return document.RootElement.Clone();
            }
        }
    }

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
