using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Switchyard.Client.Contracts.Worker;

namespace Switchyard.Worker;

/// <summary>
/// Keeps the worker connected: connects, says hello, runs the connection until it drops, then reconnects after an
/// exponential backoff with jitter (reset by every welcome). Tasks held on a dropped connection are lost to the
/// server's hand-back, so their handlers are cancelled; the next hello lists them (<c>abandoned</c>), so a server
/// that never saw the drop (it died) hands them back at once instead of when their leases run out. A refusal of
/// the key or of the hello ends the loop.
/// </summary>
internal sealed class ConnectionLoop(
    SwitchyardWorkerOptions options, IWorkerHost host, RunTable runs, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan FlushLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QuietLimit = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private ProtocolSession? _session;
    private WorkerSocket? _socket;
    private CancellationTokenSource? _sessionStop;
    private TaskCompletionSource<string> _connected = NewSignal();
    private Task _running = Task.CompletedTask;

    /// <summary>Tasks stopped when a connection dropped, to report in the next hello (only the connection loop touches it).</summary>
    private List<LeaseRef> _abandoned = [];

    /// <summary>The current connection's worker id, once welcomed.</summary>
    public string? WorkerId
    {
        get
        {
            lock (_gate)
            {
                return _session?.WorkerId;
            }
        }
    }

    /// <summary>Completes with the worker id once a connection is welcomed (the current one, or the next).</summary>
    public Task<string> Connected
    {
        get
        {
            lock (_gate)
            {
                return _connected.Task;
            }
        }
    }

    public Task Start(IReadOnlyList<string>? types, CancellationToken stopping)
    {
        _running = Task.Run(() => RunAsync(types, stopping), CancellationToken.None);
        return _running;
    }

    /// <summary>Tells the server to push nothing more on the current connection, and waits (briefly) until it has heard.</summary>
    public async Task QuietAsync()
    {
        ProtocolSession? session;
        lock (_gate)
        {
            session = _session;
        }

        if (session is not null)
        {
            await session.QuietAsync(QuietLimit);
        }
    }

    /// <summary>Sends what is queued, closes the current connection and waits for the loop to end (it must be stopping).</summary>
    public async Task CloseAsync()
    {
        WorkerSocket? socket;
        CancellationTokenSource? stop;
        lock (_gate)
        {
            socket = _socket;
            stop = _sessionStop;
        }

        if (socket is not null)
        {
            await socket.CloseAsync(FlushLimit);
        }

        try
        {
            await _running.WaitAsync(CloseLimit, time);
        }
        catch (TimeoutException)
        {
            Cancel(stop);
        }
#pragma warning disable CA1031 // How the loop ended is reported by whoever watches it (the worker's Completion).
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task RunAsync(IReadOnlyList<string>? types, CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            bool welcomed;
            try
            {
                welcomed = await ConnectOnceAsync(types, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not SwitchyardWorkerException)
            {
                logger.ConnectFailed(options.SocketUri, ex.Message); // an unforeseen failure of one connection: try another
                welcomed = false;
            }

            if (stopping.IsCancellationRequested)
            {
                return;
            }

            failures = welcomed ? 1 : failures + 1;
            var delay = ReconnectBackoff.Delay(failures, options.ReconnectMinDelay, options.ReconnectMaxDelay, Random.Shared.NextDouble());
            logger.Reconnecting((long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One connection from upgrade to close; true when it was welcomed.</summary>
    private async Task<bool> ConnectOnceAsync(IReadOnlyList<string>? types, CancellationToken stopping)
    {
        WorkerSocket socket;
        try
        {
            socket = await WorkerSocket.ConnectAsync(options.SocketUri, options.ApiKey, options.ConnectTimeout, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or TimeoutException or IOException)
        {
            logger.ConnectFailed(options.SocketUri, ex.Message);
            return false;
        }

        await using (socket)
        {
            var session = new ProtocolSession(socket, host, time, logger);
            var capacity = stopping.IsCancellationRequested ? 0 : Math.Max(0, options.Capacity - runs.Reserve(session));
            WelcomeMessage welcome;
            try
            {
                welcome = await session.HelloAsync(Hello(capacity, types), options.ConnectTimeout, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException)
            {
                logger.ConnectFailed(options.SocketUri, ex.Message);
                return false;
            }

            var stop = new CancellationTokenSource();
            TaskCompletionSource<string> connected;
            lock (_gate)
            {
                _session = session;
                _socket = socket;
                _sessionStop = stop;
                connected = _connected;
            }

            _abandoned = []; // the server has them now
            logger.Connected(options.SocketUri, welcome.WorkerId, capacity, welcome.HeartbeatIntervalMs);
            connected.TrySetResult(welcome.WorkerId);
            if (stopping.IsCancellationRequested)
            {
                await session.QuietAsync(TimeSpan.Zero); // the answer is read by RunAsync
            }

            var reason = await session.RunAsync(stop.Token);
            await socket.CloseAsync(TimeSpan.FromSeconds(1));
            lock (_gate)
            {
                _session = null;
                _socket = null;
                _sessionStop = null;
                _connected = NewSignal();
            }

            stop.Dispose();
            var lost = session.LoseHeld("connection lost");
            _abandoned.AddRange(lost);
            if (_abandoned.Count > HelloMessage.MaxAbandoned)
            {
                // The oldest beyond the server's limit are left to their leases.
                _abandoned.RemoveRange(0, _abandoned.Count - HelloMessage.MaxAbandoned);
            }

            if (reason != ProtocolSession.ClosedByWorker || lost.Count > 0)
            {
                logger.Disconnected(reason, lost.Count);
            }

            return true;
        }
    }

    private HelloMessage Hello(int capacity, IReadOnlyList<string>? types) => new()
    {
        Name = options.Name,
        Queues = options.Queues.Count > 0 ? options.Queues : null,
        Groups = options.Groups.Count > 0 ? options.Groups : null,
        Types = types,
        Capacity = capacity,
        LeaseMs = options.LeaseMs,
        Version = options.Version,
        Abandoned = _abandoned.Count > 0 ? _abandoned.ToArray() : null,
    };

    private static void Cancel(CancellationTokenSource? stop)
    {
        try
        {
            stop?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That connection already ended.
        }
    }

    private static TaskCompletionSource<string> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
