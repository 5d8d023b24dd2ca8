using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;

namespace Switchyard.Worker;

/// <summary>
/// One leased task on this worker: runs its handler with a token of its own and reports the outcome once. Whatever
/// ends the run first wins: the handler's result or error (reported), a cancel from the server, the loss of the
/// connection or lease (not reported: the server already moved the task), or the worker stopping after its grace
/// period (reported failed, retryable).
/// </summary>
internal sealed class TaskRun : IDisposable
{
    public const string StoppedCode = "worker_stopped";
    private const int Running = 0;
    private const int Reported = 1;
    private const int TakenAway = 2;

    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _state;

    public TaskRun(TaskDto task, ProtocolSession owner, ILogger logger, TimeProvider time)
    {
        Task = task;
        LeaseToken = task.Lease?.Token ?? throw new ArgumentException($"Task {task.Id} came without a lease.", nameof(task));
        Owner = owner;
        _logger = logger;
        _time = time;
        _started = time.GetTimestamp();
    }

    public TaskDto Task { get; }

    public long LeaseToken { get; }

    /// <summary>The connection the task came on; reports go back on it.</summary>
    public ProtocolSession Owner { get; }

    /// <summary>Still this worker's to report: not yet reported, cancelled, lost or stopped.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    public CancellationToken Token => _cancel.Token;

    /// <summary>Completes when the handler has returned (whatever became of the task).</summary>
    public Task Completion => _done.Task;

    public async Task RunAsync(ITaskHandler? handler)
    {
        _logger.TaskStarted(Task.Id, Task.Type, Task.Attempt);
        try
        {
            if (handler is null)
            {
                await FailAsync(new TaskErrorDto("no_handler", $"This worker has no handler for tasks of type '{Task.Type}'.", ErrorKind.Fatal.ToName()), null);
                return;
            }

            var result = await handler.HandleAsync(new TaskContext(this), _cancel.Token);
            await CompleteAsync(result);
        }
        catch (Exception) when (!IsRunning && _cancel.IsCancellationRequested)
        {
            _logger.OutcomeDropped(Task.Id);
        }
#pragma warning disable CA1031 // Whatever a handler throws becomes the task's error; it must not reach the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var (error, retryAfterMs) = ErrorClassifier.Classify(ex);
            await FailAsync(error, retryAfterMs);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    /// <summary>The server cancelled the task (a client cancelled it, its deadline passed, its lease lapsed).</summary>
    public void Cancel(string? reason)
    {
        if (TakeAway())
        {
            _logger.TaskCancelled(Task.Id, reason ?? "cancelled");
        }
    }

    /// <summary>The connection or the lease is gone: the server hands the task back on its own; nothing to report.</summary>
    public void Lose(string reason)
    {
        if (TakeAway())
        {
            _logger.TaskLost(Task.Id, reason);
        }
    }

    /// <summary>The worker is stopping and the grace period is over: report the task failed (retryable), then cancel the handler.</summary>
    public async Task AbortAsync()
    {
        if (Interlocked.CompareExchange(ref _state, TakenAway, Running) != Running)
        {
            return;
        }

        Owner.Release(this);
        _logger.TaskAborted(Task.Id, Task.Type);
        var error = new TaskErrorDto(StoppedCode, "The worker stopped before the task finished; it runs again if it has attempts left.", ErrorKind.Retryable.ToName());
        await SendAsync(new FailMessage(Task.Id, LeaseToken, error, RetryAfterMs: 0));
        CancelHandler();
    }

    private bool TakeAway()
    {
        if (Interlocked.CompareExchange(ref _state, TakenAway, Running) != Running)
        {
            return false;
        }

        Owner.Release(this);
        CancelHandler();
        return true;
    }

    public void Dispose() => _cancel.Dispose();

    private void CancelHandler()
    {
        try
        {
            _ = _cancel.CancelAsync(); // callbacks (killing a process, say) run off the caller's thread
        }
        catch (ObjectDisposedException)
        {
            // The handler has already returned.
        }
    }

    private async Task CompleteAsync(JsonText result)
    {
        var frame = WorkerSocket.Serialize(new CompleteMessage(Task.Id, LeaseToken, result));
        if (frame.Length > WorkerSocket.MaxFrameBytes)
        {
            await FailAsync(new TaskErrorDto("result_too_large", $"The result takes {frame.Length} bytes; a frame holds at most {WorkerSocket.MaxFrameBytes}.", ErrorKind.Fatal.ToName()), null);
            return;
        }

        if (!IsJson(frame))
        {
            await FailAsync(new TaskErrorDto("invalid_result", "The handler's result is not valid JSON.", ErrorKind.Fatal.ToName()), null);
            return;
        }

        if (!Finish())
        {
            _logger.OutcomeDropped(Task.Id);
            return;
        }

        if (await SendAsync(frame))
        {
            _logger.TaskCompleted(Task.Id, Task.Type, ElapsedMs);
        }
    }

    private async Task FailAsync(TaskErrorDto error, long? retryAfterMs)
    {
        if (!Finish())
        {
            _logger.OutcomeDropped(Task.Id);
            return;
        }

        var frame = WorkerSocket.Serialize(new FailMessage(Task.Id, LeaseToken, error, retryAfterMs));
        if (frame.Length > WorkerSocket.MaxFrameBytes)
        {
            frame = WorkerSocket.Serialize(new FailMessage(Task.Id, LeaseToken, error with { Details = null, Message = Cut(error.Message) }, retryAfterMs));
        }

        if (await SendAsync(frame))
        {
            _logger.TaskFailed(Task.Id, Task.Type, ElapsedMs, error.Kind, error.Code, error.Message);
        }
    }

    private bool Finish()
    {
        if (Interlocked.CompareExchange(ref _state, Reported, Running) != Running)
        {
            return false;
        }

        Owner.Release(this);
        return true;
    }

    private Task<bool> SendAsync(WorkerMessage message) => SendAsync(WorkerSocket.Serialize(message));

    private async Task<bool> SendAsync(byte[] frame)
    {
        if (await Owner.SendAsync(frame, CancellationToken.None))
        {
            return true;
        }

        _logger.ReportNotSent(Task.Id);
        return false;
    }

    private long ElapsedMs => (long)_time.GetElapsedTime(_started).TotalMilliseconds;

    private static string Cut(string message) => message.Length > 4096 ? message[..4096] + "..." : message;

    private static bool IsJson(byte[] frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
