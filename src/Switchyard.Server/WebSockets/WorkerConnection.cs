using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;
using Switchyard.Server.Hosting;
using Switchyard.Server.Security;

namespace Switchyard.Server.WebSockets;

/// <summary>
/// One worker on <c>/ws/v1/worker</c>: hello, then tasks pushed by the dispatcher and the worker's reports. With
/// <paramref name="helloKeys"/> (the upgrade carried no key header) the hello must carry a valid key before anything
/// else happens. See docs/protocols/worker.md.
/// </summary>
internal sealed partial class WorkerConnection(
    FramedSocket socket, PushDispatcher dispatcher, TaskBroker broker, ProgressFeed progress, ILogger logger, CancellationToken serverStopping,
    ApiKeys? helloKeys = null)
    : IDisposable
{
    public static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Reports handled at once; past this the connection stops reading until some finish (backpressure).</summary>
    public const int MaxInFlight = 1024;

    private readonly WorkerLink _link = new(socket, broker.Time);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastProgress = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private WorkerSession? _session;
    private ShutdownClose? _shutdown;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (hello, late) = await ReceiveHelloAsync(cancellationToken);
        if (hello is null)
        {
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation,
                late ? $"no hello within {HelloTimeout.TotalSeconds:0} s" : "the first frame must be hello", TimeSpan.FromSeconds(1));
            return;
        }

        if (HelloRules.Refusal(hello, helloKeys, dispatcher.Options, broker.Options) is { } refused)
        {
            _link.Send(new ErrorMessage(refused.Code, refused.Message));
            var reason = refused.Code == ErrorCodes.Unauthorized ? "unauthorized" : "invalid hello";
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, reason, TimeSpan.FromSeconds(1));
            return;
        }

        var spec = new WorkerSpec(
            dispatcher.NewWorkerId(),
            hello.Name ?? "worker",
            hello.Queues is { Count: > 0 } queues ? queues : [TaskDefaults.Queue],
            hello.Groups ?? [],
            hello.Types ?? [],
            hello.LeaseMs,
            "switchyard/1",
            hello.Version);
        var leaseMs = hello.LeaseMs ?? broker.Options.DefaultLeaseMs;
        // Registered before the welcome goes out, so a client that submits the moment it is welcomed finds its worker
        // connected; without credits until the welcome is queued, so no task frame can come before it.
        _session = dispatcher.Register(spec, _link, capacity: 0);
        // The tasks it stopped when its last connection dropped go back before the welcome: once welcomed, they are queued again.
        await dispatcher.HandBackAsync(hello.Abandoned?.Select(a => (a.TaskId, a.LeaseToken)) ?? [], spec.WorkerId, cancellationToken);
        _link.Send(new WelcomeMessage(spec.WorkerId, Math.Min(dispatcher.Options.HeartbeatIntervalMs, leaseMs / 3), leaseMs, ServerInfo.Version));
        _session.AddCredits(Math.Clamp(hello.Capacity ?? 1, 0, dispatcher.Options.MaxCapacity));
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _shutdown = new ShutdownClose(socket, () => _session!.HeldCount == 0);
            using var onShutdown = _shutdown.Watch(stop, serverStopping);
            using var drop = _link.Termination.DropWhenDue(socket, stop);
            await ReceiveLoopAsync(stop.Token);
        }
        catch (OperationCanceledException) when (_link.Termination.Due.IsCancellationRequested)
        {
            // Terminated: the grace period is over.
        }
        finally
        {
            await DrainInFlightAsync();
            await dispatcher.UnregisterAsync(_session, CancellationToken.None);
        }
    }

    /// <summary>
    /// The first frame as a hello (null when it is something else), or none and <c>Late</c> when none came in time. The
    /// wait is not cancelled on the socket, which would abort it: the close that follows can then still be sent.
    /// </summary>
    private async Task<(HelloMessage? Hello, bool Late)> ReceiveHelloAsync(CancellationToken cancellationToken)
    {
        var receiving = socket.ReceiveAsync(cancellationToken);
        try
        {
            var frame = await receiving.WaitAsync(HelloTimeout, cancellationToken);
            return (frame is { } bytes ? Parse(bytes, out _) as HelloMessage : null, false);
        }
        catch (TimeoutException)
        {
            _ = receiving.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return (null, true);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadOnlyMemory<byte>? frame;
            try
            {
                frame = await socket.ReceiveAsync(cancellationToken);
            }
            catch (MessageTooBigException ex)
            {
                await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, ex.Message, TimeSpan.FromSeconds(1));
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                return;
            }

            if (frame is not { } bytes)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(5));
                return;
            }

            var message = Parse(bytes, out var unreadable);
            if (message is null)
            {
                _link.Send(new ErrorMessage("invalid_message", $"The frame is not a worker protocol message: {unreadable} (see docs/protocols/worker.md)."));
                continue;
            }

            if (FrameRules.Invalid(message, dispatcher.Options.MaxCapacity) is { } invalid)
            {
                _link.Send(new ErrorMessage(ErrorCodes.ValidationFailed, invalid, FrameRules.TaskOf(message)));
                continue;
            }

            // Each report starts its store command now, so the writer sees them in the order they came;
            // the connection does not wait for one commit before reading the next frame.
            await _inFlight.WaitAsync(cancellationToken);
            var handled = HandleAsync(message, cancellationToken);
            if (handled.IsCompleted)
            {
                _inFlight.Release();
                await handled;
            }
            else
            {
                _ = ObserveAsync(handled);
            }
        }
    }

    public void Dispose()
    {
        _inFlight.Dispose();
        _link.Dispose();
    }

    private async Task ObserveAsync(Task handled)
    {
        try
        {
            await handled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReportFailed(logger, ex);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task DrainInFlightAsync()
    {
        for (var i = 0; i < MaxInFlight; i++)
        {
            await _inFlight.WaitAsync();
        }

        _inFlight.Release(MaxInFlight);
    }

    private Task HandleAsync(WorkerMessage message, CancellationToken cancellationToken) => message switch
    {
        CreditMessage credit => Sync(() => AddCredits(credit.Credits)),
        CompleteMessage complete => CompleteAsync(complete, cancellationToken),
        FailMessage fail => FailAsync(fail, cancellationToken),
        HeartbeatMessage heartbeat => HeartbeatAsync(heartbeat, cancellationToken),
        ProgressMessage report => ProgressAsync(report, cancellationToken),
        QuietMessage => Sync(() => _session!.Quiet()),
        PingMessage => Sync(() => _link.Send(new PongMessage())),
        PongMessage => Task.CompletedTask,
        HelloMessage => Sync(() => _link.Send(new ErrorMessage("invalid_message", "hello was sent already: a worker says hello once, as its first frame."))),
        _ => Sync(() => _link.Send(new ErrorMessage("invalid_message", $"'{WireName(message)}' frames go from the server to workers, not the other way."))),
    };

    /// <summary>The frame's <c>type</c> on the wire (its JSON discriminator).</summary>
    private static string WireName(WorkerMessage message) =>
        typeof(WorkerMessage).GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonDerivedTypeAttribute), false)
            .Cast<System.Text.Json.Serialization.JsonDerivedTypeAttribute>()
            .FirstOrDefault(a => a.DerivedType == message.GetType())?.TypeDiscriminator?.ToString() ?? message.GetType().Name;

    private void AddCredits(int credits)
    {
        if (!_session!.TryAddCredits(credits, dispatcher.Options.MaxCapacity))
        {
            _link.Send(new ErrorMessage(ErrorCodes.ValidationFailed,
                $"credit would take this worker past {dispatcher.Options.MaxCapacity} tasks at once (held and credits together); nothing was added"));
        }
    }

    private async Task CompleteAsync(CompleteMessage complete, CancellationToken cancellationToken)
    {
        _session!.Release(complete.TaskId, complete.LeaseToken); // the worker's slot is free now; its credit need not wait for the commit
        var outcome = await broker.CompleteAsync(complete.TaskId, complete.LeaseToken, complete.Result ?? JsonText.Null, _session!.Spec.WorkerId, cancellationToken);
        Finish(complete.TaskId, outcome.Error);
    }

    private async Task FailAsync(FailMessage fail, CancellationToken cancellationToken)
    {
        var error = fail.Error.ToError();
        if (!error.IsSuccess)
        {
            _link.Send(new ErrorMessage(error.Error.Code, error.Error.Message, fail.TaskId));
            return;
        }

        var retryAfter = fail.RetryAfterMs is { } ms ? Math.Clamp(ms, 0, NewTasks.MaxDelayMs) : (long?)null;
        _session!.Release(fail.TaskId, fail.LeaseToken);
        var outcome = await broker.FailAsync(fail.TaskId, fail.LeaseToken, error.Value, retryAfter, _session!.Spec.WorkerId, cancellationToken);
        Finish(fail.TaskId, outcome.Error);
    }

    private void Finish(string taskId, OperationError? refused)
    {
        _lastProgress.TryRemove(taskId, out _);
        if (refused is not null)
        {
            _link.Send(new ErrorMessage(refused.Code, refused.Message, taskId));
        }

        _shutdown?.Released();
    }

    private async Task HeartbeatAsync(HeartbeatMessage heartbeat, CancellationToken cancellationToken)
    {
        foreach (var held in heartbeat.Tasks ?? [])
        {
            var lease = await broker.HeartbeatAsync(held.TaskId, held.LeaseToken, _session!.Spec.LeaseMs, null, cancellationToken);
            if (!lease.IsSuccess)
            {
                _link.Send(new ErrorMessage(lease.Error.Code, lease.Error.Message, held.TaskId));
            }
        }
    }

    /// <summary>Every report reaches in-process readers (streams) and the event bus (which publishes at most 10 a second per task, the newest winning); the store gets at most 10 a second.</summary>
    private async Task ProgressAsync(ProgressMessage report, CancellationToken cancellationToken)
    {
        if (!_session!.Holds(report.TaskId, report.LeaseToken))
        {
            _link.Send(new ErrorMessage(ErrorCodes.StaleLease, "This worker does not hold that task under that lease token.", report.TaskId));
            return;
        }

        var value = new TaskProgress(report.Percent, report.Message, report.Data);
        progress.Publish(report.TaskId, value);
        broker.ReportProgress(report.TaskId, report.LeaseToken, value);
        var now = broker.Time.GetUtcNow();
        if (_lastProgress.TryGetValue(report.TaskId, out var last) && now - last < ProgressInterval && report.Percent is not >= 100)
        {
            return;
        }

        _lastProgress[report.TaskId] = now;
        var lease = await broker.HeartbeatAsync(report.TaskId, report.LeaseToken, _session.Spec.LeaseMs, value, cancellationToken);
        if (!lease.IsSuccess)
        {
            _link.Send(new ErrorMessage(lease.Error.Code, lease.Error.Message, report.TaskId));
        }
    }

    /// <summary>The frame as a message; null (and <paramref name="problem"/>: what is wrong with it) when it is not one.</summary>
    private WorkerMessage? Parse(ReadOnlyMemory<byte> bytes, out string problem)
    {
        try
        {
            problem = "it is JSON null";
            return JsonSerializer.Deserialize(bytes.Span, WorkerProtocolJsonContext.Default.WorkerMessage);
        }
        catch (JsonException ex)
        {
            LogBadFrame(logger, ex.Message);
            problem = UnknownType().Match(ex.Message) is { Success: true } unknown
                ? $"'{unknown.Groups[1].Value}' is not a frame type"
                : ContractJsonErrors.Describe(ex).TrimEnd('.');
            return null;
        }
        catch (NotSupportedException ex) // no "type" to tell which frame it is
        {
            LogBadFrame(logger, ex.Message);
            problem = "it has no \"type\"";
            return null;
        }
    }

    [GeneratedRegex("^Read unrecognized type discriminator id '([^']*)'")]
    private static partial Regex UnknownType();

    private static Task Sync(Action action)
    {
        action();
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Handling a worker report failed")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Refused a worker frame: {Reason}")]
    private static partial void LogBadFrame(ILogger logger, string reason);
}
