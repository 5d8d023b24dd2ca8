using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;

namespace Switchyard.Worker;

/// <summary>
/// One connection to <c>/ws/v1/worker</c>, from hello to close: reads the server's frames (tasks, cancels, quiet,
/// terminate, refusals), keeps the leases of the tasks it holds alive, and carries the tasks' reports.
/// See docs/protocols/worker.md.
/// </summary>
internal sealed class ProtocolSession(WorkerSocket socket, IWorkerHost host, TimeProvider time, ILogger logger)
{
    public const string ClosedByWorker = "closed by the worker";
    private static readonly TimeSpan MinHeartbeat = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<string, TaskRun> _held = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _quietHeard = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _quietAsked;

    public WelcomeMessage? Welcome { get; private set; }

    public string WorkerId => Welcome?.WorkerId ?? string.Empty;

    /// <summary>No more tasks will come on this connection (the server said quiet, or the worker is stopping).</summary>
    public bool IsQuiet => Volatile.Read(ref _quietAsked) != 0 || _quietHeard.Task.IsCompleted;

    public int HeldCount => _held.Count;

    /// <summary>Sends hello and reads the welcome; a refused hello throws <see cref="SwitchyardWorkerException"/>.</summary>
    public async Task<WelcomeMessage> HelloAsync(HelloMessage hello, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.SendAsync(hello, limit.Token);
            var answer = await socket.ReceiveAsync(limit.Token);
            return answer switch
            {
                WelcomeMessage welcome => Welcome = welcome,
                ErrorMessage error => throw new SwitchyardWorkerException($"The server refused the hello: {error.Code}: {error.Message}"),
                null => throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"The server closed the connection before welcome ({socket.CloseDescription})."),
                _ => throw new WebSocketException(WebSocketError.Faulted, $"The server answered hello with '{answer.GetType().Name}'."),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No welcome within {timeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>Reads frames until the connection closes (or <paramref name="cancellationToken"/> fires); returns why it ended.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeats = HeartbeatLoopAsync(stop.Token);
        try
        {
            while (true)
            {
                var frame = await socket.ReceiveAsync(stop.Token);
                if (frame is null)
                {
                    return socket.ClosedByWorker ? ClosedByWorker : $"closed by the server: {socket.CloseDescription ?? "no reason"}";
                }

                await HandleAsync(frame, stop.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            return ex.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ClosedByWorker;
        }
        finally
        {
            _quietHeard.TrySetResult();
            await stop.CancelAsync();
            await heartbeats;
        }
    }

    public ValueTask<bool> SendAsync(byte[] frame, CancellationToken cancellationToken) => socket.SendAsync(frame, cancellationToken);

    /// <summary>
    /// Tells the server to push nothing more here (the worker is stopping) and waits, up to <paramref name="limit"/>,
    /// for its answering quiet: after it, only tasks already on their way can still arrive.
    /// </summary>
    public async Task QuietAsync(TimeSpan limit)
    {
        if (Interlocked.Exchange(ref _quietAsked, 1) == 0 && !_quietHeard.Task.IsCompleted)
        {
            await socket.SendAsync(new QuietMessage(), CancellationToken.None);
        }

        try
        {
            await _quietHeard.Task.WaitAsync(limit, time);
        }
        catch (TimeoutException)
        {
            // An older server that does not answer quiet; it still stops pushing.
        }
    }

    /// <summary>Lets the server push one more task (a handler of an earlier connection ended).</summary>
    public async Task GrantCreditAsync()
    {
        if (!IsQuiet)
        {
            await socket.SendAsync(new CreditMessage(1), CancellationToken.None);
        }
    }

    public void Track(TaskRun run) => _held[run.Task.Id] = run;

    /// <summary>The task is no longer held here (reported, cancelled, lost).</summary>
    public void Release(TaskRun run) => _held.TryRemove(new KeyValuePair<string, TaskRun>(run.Task.Id, run));

    /// <summary>The connection is gone: every task still held is lost (the server hands it back); returns how many.</summary>
    /// <summary>Stops the handlers of the tasks still running (their connection dropped); the tasks and their lease tokens.</summary>
    public IReadOnlyList<LeaseRef> LoseHeld(string reason)
    {
        var lost = new List<LeaseRef>();
        foreach (var run in _held.Values)
        {
            if (run.IsRunning)
            {
                run.Lose(reason);
                lost.Add(new LeaseRef(run.Task.Id, run.LeaseToken));
            }
        }

        return lost;
    }

    private async Task HandleAsync(WorkerMessage frame, CancellationToken cancellationToken)
    {
        switch (frame)
        {
            case TaskMessage push:
                host.StartRun(push.Task, this);
                break;
            case CancelMessage cancel:
                Find(cancel.TaskId)?.Cancel(cancel.Reason);
                break;
            case ErrorMessage error:
                logger.FrameRefused(error.Code, error.Message, error.TaskId);
                if (error.TaskId is { } taskId && TakesTaskAway(error.Code))
                {
                    Find(taskId)?.Lose(error.Code);
                }

                break;
            case QuietMessage:
                if (Volatile.Read(ref _quietAsked) == 0)
                {
                    logger.QuietReceived();
                }

                _quietHeard.TrySetResult();
                break;
            case TerminateMessage terminate:
                logger.TerminateReceived(terminate.GraceMs);
                host.Terminate(TimeSpan.FromMilliseconds(Math.Max(0, terminate.GraceMs)));
                break;
            case PingMessage:
                await socket.SendAsync(new PongMessage(), cancellationToken);
                break;
            case UnreadableFrame unreadable:
                logger.UnreadableFrame(unreadable.Reason);
                break;
            default:
                break;
        }
    }

    private TaskRun? Find(string taskId) => _held.GetValueOrDefault(taskId);

    private static bool TakesTaskAway(string code) =>
        code is ErrorCodes.StaleLease or ErrorCodes.LeaseExpired or ErrorCodes.TaskCancelled or ErrorCodes.NotFound;

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromMilliseconds(Welcome?.HeartbeatIntervalMs ?? 10_000);
        using var timer = new PeriodicTimer(every < MinHeartbeat ? MinHeartbeat : every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var held = _held.Values.Where(r => r.IsRunning).Select(r => new LeaseRef(r.Task.Id, r.LeaseToken)).ToArray();
                if (held.Length > 0)
                {
                    await socket.SendAsync(new HeartbeatMessage(held), cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }
}
