using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;

namespace Switchyard.Worker;

/// <summary>
/// The .NET push worker: connects to <c>/ws/v1/worker</c>, runs the tasks the server pushes with the handler of
/// their type (up to <see cref="SwitchyardWorkerOptions.Capacity"/> at once), heartbeats their leases, reconnects
/// when the connection drops, and stops in two steps: take no more work, then cancel what still runs after the
/// grace period and report it failed (retryable). See docs/worker.md.
/// </summary>
/// <example>
/// <code>
/// await using var worker = new SwitchyardWorker(new SwitchyardWorkerOptions { Server = new Uri("http://127.0.0.1:7400") });
/// worker.Handle("greet", async (ctx, ct) => (JsonNode?)$"hello {ctx.Payload}");
/// await worker.RunAsync(stopping);
/// </code>
/// </example>
public sealed class SwitchyardWorker : IAsyncDisposable, IWorkerHost
{
    /// <summary>After the grace period, how long cancelled handlers get to unwind before the connection closes.</summary>
    public static readonly TimeSpan UnwindLimit = TimeSpan.FromSeconds(5);

    private readonly HandlerRegistry _handlers = new();
    private readonly RunTable _runs = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly ConnectionLoop _loop;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private Task? _stop;
    private volatile bool _started;
    private volatile bool _aborting;

    public SwitchyardWorker(SwitchyardWorkerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(WorkerLog.Category);
        _loop = new ConnectionLoop(options, this, _runs, _time, _logger);
    }

    public SwitchyardWorkerOptions Options { get; }

    /// <summary>The id the server gave the current connection; null while disconnected.</summary>
    public string? WorkerId => _loop.WorkerId;

    /// <summary>Tasks whose handlers are running now.</summary>
    public int RunningCount => _runs.Count;

    /// <summary>Completes when the worker has stopped (stop, terminate); faults when the server refused it for good.</summary>
    public Task Completion => _completion.Task;

    public SwitchyardWorker Handle(string type, ITaskHandler handler)
    {
        _handlers.Add(type, handler);
        return this;
    }

    public SwitchyardWorker Handle(string type, Func<TaskContext, CancellationToken, Task<JsonText>> handler) =>
        Handle(type, new DelegateHandler(handler));

    public SwitchyardWorker Handle(string type, Func<TaskContext, CancellationToken, Task<JsonNode?>> handler) =>
        Handle(type, DelegateHandler.FromNode(handler));

    /// <summary>A handler with no result (the task completes with <c>null</c>).</summary>
    public SwitchyardWorker Handle(string type, Func<TaskContext, CancellationToken, Task> handler) =>
        Handle(type, DelegateHandler.FromAction(handler));

    /// <summary>Starts connecting in the background; returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_started || _stop is not null)
            {
                throw new InvalidOperationException("A worker starts once.");
            }

            var types = Options.TakeAnyType ? null : Options.Types ?? _handlers.Types;
            if (types is { Count: 0 })
            {
                throw new InvalidOperationException("Register a handler (or set Types or TakeAnyType) before starting the worker.");
            }

            _handlers.Freeze();
            _started = true;
            _ = WatchAsync(_loop.Start(types, _stopping.Token));
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes with the worker id once the worker is connected and welcomed.</summary>
    public Task<string> WaitUntilConnectedAsync(CancellationToken cancellationToken = default) =>
        _loop.Connected.WaitAsync(cancellationToken);

    /// <summary>
    /// Stops taking work, the first step of <see cref="StopAsync"/>: the server is told to push nothing more (this
    /// returns once it has answered) and the worker will not reconnect; running tasks go on.
    /// </summary>
    public async Task QuietAsync(CancellationToken cancellationToken = default)
    {
        await _stopping.CancelAsync();
        await _loop.QuietAsync().WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stops: no more tasks are taken (the server is told so), running tasks get <paramref name="grace"/> (default
    /// <see cref="SwitchyardWorkerOptions.ShutdownGrace"/>) to finish, then they are cancelled and reported failed
    /// (retryable), and the connection closes. <paramref name="cancellationToken"/> cuts the grace period short.
    /// </summary>
    public async Task StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        using var abort = cancellationToken.Register(static state => ((SwitchyardWorker)state!).Abort(), this);
        await BeginStop(grace ?? Options.ShutdownGrace);
    }

    /// <summary>Starts, runs until <paramref name="stopping"/> fires, then stops (<paramref name="aborting"/> cuts the grace period short).</summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken aborting = default)
    {
        await StartAsync(CancellationToken.None);
        using var onStop = stopping.Register(static state => ((SwitchyardWorker)state!).BeginStop(null), this);
        using var onAbort = aborting.Register(static state => ((SwitchyardWorker)state!).Abort(), this);
        await Completion;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        foreach (var handler in _handlers.Handlers)
        {
            switch (handler)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    void IWorkerHost.StartRun(TaskDto task, ProtocolSession session)
    {
        if (task.Lease is null)
        {
            return;
        }

        var run = new TaskRun(task, session, _logger, _time);
        session.Track(run);
        _runs.Add(run);
        if (_aborting)
        {
            _ = FinishAsync(run, run.AbortAsync());
            return;
        }

        var handler = _handlers.Find(task.Type);
        _ = FinishAsync(run, Task.Run(() => run.RunAsync(handler), CancellationToken.None));
    }

    void IWorkerHost.Terminate(TimeSpan grace)
    {
        BeginStop(grace);
        _ = AbortAfterAsync(grace); // a stop already under way with a longer grace period gets the server's
    }

    private Task BeginStop(TimeSpan? grace)
    {
        lock (_gate)
        {
            return _stop ??= _started ? Task.Run(() => StopCoreAsync(grace ?? Options.ShutdownGrace)) : Stopped();
        }
    }

    private Task Stopped()
    {
        _stopping.Cancel();
        _completion.TrySetResult();
        return Task.CompletedTask;
    }

    private void Abort()
    {
        _abort.Cancel();
        BeginStop(TimeSpan.Zero);
    }

    private async Task AbortAfterAsync(TimeSpan grace)
    {
        await Task.Delay(grace, _time, CancellationToken.None);
        await _abort.CancelAsync();
    }

    private async Task StopCoreAsync(TimeSpan grace)
    {
        try
        {
            await _stopping.CancelAsync();
            await _loop.QuietAsync();
            var running = _runs.Count;
            if (running > 0)
            {
                _logger.Stopping(running, (long)grace.TotalMilliseconds);
                await WaitQuietlyAsync(_runs.WhenIdleAsync(), grace, _abort.Token);
            }

            _aborting = true;
            var left = _runs.Snapshot().Where(r => r.IsRunning).ToArray();
            if (left.Length > 0)
            {
                _logger.AbortingTasks(left.Length);
                await Task.WhenAll(left.Select(r => r.AbortAsync()));
            }

            await WaitQuietlyAsync(_runs.WhenIdleAsync(), UnwindLimit, CancellationToken.None);
            await _loop.CloseAsync();
            _logger.Stopped();
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async Task FinishAsync(TaskRun run, Task running)
    {
        await running;
        run.Dispose();
        if (_runs.Remove(run) is { } creditor && !_stopping.IsCancellationRequested)
        {
            await creditor.GrantCreditAsync();
        }
    }

    private async Task WatchAsync(Task loop)
    {
        try
        {
            await loop;
        }
        catch (SwitchyardWorkerException ex)
        {
            _logger.Refused(ex.Message);
            await FailAsync(ex);
        }
#pragma warning disable CA1031 // A bug in the loop must end the worker visibly (Completion faults), not hang it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LoopFailed(ex);
            await FailAsync(ex);
        }
    }

    private async Task FailAsync(Exception ex)
    {
        await _stopping.CancelAsync();
        foreach (var run in _runs.Snapshot())
        {
            run.Lose("the worker stopped");
        }

        _completion.TrySetException(ex);
    }

    private async Task WaitQuietlyAsync(Task task, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(limit, _time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // The grace period is over.
        }
    }
}
