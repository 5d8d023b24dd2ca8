using System.Net.WebSockets;
using System.Text.Json;
using Switchyard.Client.Contracts.Worker;

namespace Switchyard.Bench;

/// <summary>A minimal push worker on the native protocol: completes every task at once with its payload.</summary>
internal sealed class RawWorker : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private Task? _loop;

    public static async Task<RawWorker> ConnectAsync(Uri server, int capacity, CancellationToken cancellationToken)
    {
        var worker = new RawWorker();
        await worker._socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/ws/v1/worker" }.Uri, cancellationToken);
        await worker.SendAsync(new HelloMessage { Name = "bench", Capacity = capacity }, cancellationToken);
        _ = await worker.ReceiveAsync(new byte[64 * 1024], cancellationToken); // welcome
        return worker;
    }

    /// <summary>Completes every pushed task until the connection closes.</summary>
    public void StartEchoing() => _loop = Task.Run(async () =>
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (await ReceiveAsync(buffer, CancellationToken.None) is TaskMessage { Task: var task })
            {
                await SendAsync(new CompleteMessage(task.Id, task.Lease!.Token, task.Payload), CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The bench is over.
        }
    });

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        if (_loop is not null)
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _socket.Dispose();
        _send.Dispose();
    }

    private async Task SendAsync(WorkerMessage message, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, WorkerProtocolJsonContext.Default.WorkerMessage);
        await _send.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task<WorkerMessage?> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize(buffer.AsSpan(0, length), WorkerProtocolJsonContext.Default.WorkerMessage);
            }
        }
    }
}
