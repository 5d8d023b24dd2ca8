using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Worker;

/// <summary>
/// A pull worker that runs a shell command per task. It long-polls for work while it has free slots, runs up to
/// <see cref="ExecWorkerOptions.Concurrency"/> commands at once, and shuts down in two steps: on
/// <c>stopping</c> it takes no more work and lets running commands finish within the grace period; after it (or on
/// <c>aborting</c>) it kills them and reports them failed (retryable), so they run elsewhere.
/// </summary>
internal sealed class ExecWorker
{
    /// <summary>Longest pause between claims the server did not answer: short, so that work resumes soon after it is back.</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly SwitchyardClient _client;
    private readonly ExecWorkerOptions _options;
    private readonly IWorkerObserver _observer;
    private readonly TimeProvider _time;
    private readonly TaskRunner _runner;

    public ExecWorker(SwitchyardClient client, ExecWorkerOptions options, IWorkerObserver observer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _observer = observer;
        _time = time;
        _runner = new TaskRunner(client, options, observer, time);
    }

    /// <summary>Runs until a stop, <see cref="ExecWorkerOptions.MaxTasks"/> or <see cref="ExecWorkerOptions.Once"/>; returns every task's report.</summary>
    public async Task<IReadOnlyList<TaskReport>> RunAsync(CancellationToken stopping, CancellationToken aborting)
    {
        _observer.WorkerStarted(_options);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(aborting);
        var running = new List<Task<TaskReport>>();
        var reports = new List<TaskReport>();
        Exception? fatal = null;
        try
        {
            fatal = await ClaimLoopAsync(running, reports, abort.Token, stopping);
        }
        finally
        {
            await DrainAsync(running, abort, stopping);
            reports.AddRange(running.Select(t => t.Result));
        }

        if (fatal is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fatal);
        }

        return reports;
    }

    private async Task<Exception?> ClaimLoopAsync(List<Task<TaskReport>> running, List<TaskReport> reports, CancellationToken abort, CancellationToken stopping)
    {
        var stopped = Task.Delay(Timeout.InfiniteTimeSpan, _time, stopping);
        var claimed = 0;
        var backoff = TimeSpan.Zero;
        while (!stopping.IsCancellationRequested && claimed < (_options.MaxTasks ?? int.MaxValue))
        {
            Reap(running, reports);
            var free = _options.Concurrency - running.Count;
            if (free == 0)
            {
                await Task.WhenAny(Task.WhenAny(running), stopped);
                continue;
            }

            IReadOnlyList<TaskDto> tasks;
            try
            {
                tasks = await _client.ClaimAsync(Claim(Math.Min(free, (_options.MaxTasks ?? int.MaxValue) - claimed)), stopping);
                backoff = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (IsTransient(ex) && !_options.Once)
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                _observer.Notice($"claim failed, retrying in {backoff.TotalSeconds:0}s: {ex.Message}");
                await Task.WhenAny(Task.Delay(backoff, _time, CancellationToken.None), stopped);
                continue;
            }
            catch (Exception ex) when (ex is SwitchyardApiException or HttpRequestException or TimeoutException)
            {
                return ex;
            }

            foreach (var task in tasks)
            {
                running.Add(Task.Run(() => RunOneAsync(task, abort), CancellationToken.None));
                claimed++;
            }

            if (_options.Once)
            {
                break;
            }
        }

        return null;
    }

    private async Task DrainAsync(List<Task<TaskReport>> running, CancellationTokenSource abort, CancellationToken stopping)
    {
        if (running.Count == 0)
        {
            return;
        }

        var all = Task.WhenAll(running);
        if (!stopping.IsCancellationRequested)
        {
            await Task.WhenAny(all, Task.Delay(Timeout.InfiniteTimeSpan, _time, stopping));
        }

        if (!all.IsCompleted)
        {
            var left = running.Count(t => !t.IsCompleted);
            _observer.Notice($"stopping: waiting up to {_options.Grace.TotalSeconds:0}s for {left} running task(s); again to kill them now");
            await Task.WhenAny(all, Task.Delay(_options.Grace, _time, abort.Token));
            if (!all.IsCompleted)
            {
                _observer.Notice("stopping: killing the commands still running");
                await abort.CancelAsync();
            }
        }

        await all;
    }

    private async Task<TaskReport> RunOneAsync(TaskDto task, CancellationToken abort)
    {
        var started = _time.GetTimestamp();
        TaskReport report;
        try
        {
            report = await _runner.RunAsync(task, abort);
        }
#pragma warning disable CA1031 // One task's unexpected error must not take the other tasks or the worker down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            report = new TaskReport(task, TaskOutcome.Unreported, _time.GetElapsedTime(started), null, ex.Message);
        }

        _observer.TaskFinished(report);
        return report;
    }

    private static void Reap(List<Task<TaskReport>> running, List<TaskReport> reports)
    {
        for (var i = running.Count - 1; i >= 0; i--)
        {
            if (running[i].IsCompleted)
            {
                var report = running[i].Result;
                running.RemoveAt(i);
                reports.Add(report);
            }
        }
    }

    private ClaimTasksRequest Claim(int max) => new()
    {
        WorkerId = _options.WorkerId,
        Queues = _options.Queues.Count > 0 ? _options.Queues : null,
        Groups = _options.Groups.Count > 0 ? _options.Groups : null,
        Types = _options.Types.Count > 0 ? _options.Types : null,
        MaxTasks = max,
        LeaseMs = _options.LeaseMs,
        WaitMs = _options.WaitMs,
    };

    private static bool IsTransient(Exception ex) => ex switch
    {
        HttpRequestException or TimeoutException => true,
        SwitchyardApiException api => (int)api.StatusCode >= 500 || api.StatusCode == HttpStatusCode.TooManyRequests,
        _ => false,
    };
}
