using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Cli.Worker;

/// <summary>
/// Runs one leased task: starts its command with the payload on stdin, heartbeats the lease while it runs,
/// and reports the result (stdout) or the failure (exit code, last stderr lines). The command is killed when
/// the task is cancelled, the lease is lost, or the worker aborts.
/// </summary>
internal sealed class TaskRunner(SwitchyardClient client, ExecWorkerOptions options, IWorkerObserver observer, TimeProvider time)
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a report is sent again while the server cannot take it (down, restarting, draining).</summary>
    private static readonly TimeSpan ReportPatience = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    public async Task<TaskReport> RunAsync(TaskDto task, CancellationToken abort)
    {
        var started = time.GetTimestamp();
        var token = task.Lease?.Token ?? throw new InvalidOperationException($"Task {task.Id} was claimed without a lease.");
        ShellProcess process;
        try
        {
            process = ShellProcess.Start(options.Shell, options.Command, Environment(task), time);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            var error = new TaskErrorDto("command_not_started", $"could not start {options.Shell}: {ex.Message}", options.FailKind);
            return await FailAsync(task, token, error, started, null);
        }

        using (process)
        {
            observer.TaskStarted(task, process.Id);
            var input = process.WriteInputAsync(task.Payload.Raw ?? "null");
            using var beating = new CancellationTokenSource();
            var lease = new LeaseKeeper(client, task, options.LeaseMs, observer, time);
            var lost = lease.KeepAsync(beating.Token);
            var exited = process.WaitForExitAsync(CancellationToken.None);
            var aborting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var onAbort = abort.Register(() => aborting.TrySetResult());
            var aborted = aborting.Task;
            var first = await Task.WhenAny(exited, lost, aborted);
            await beating.CancelAsync();
            if (first != exited)
            {
                await process.StopAsync(options.KillGrace);
            }

            await input;
            var stdout = await process.ReadOutputAsync(options.KillGrace);
            if (first == lost)
            {
                return new TaskReport(task, await lost ?? TaskOutcome.LeaseLost, time.GetElapsedTime(started), process.ExitCode);
            }

            if (first == aborted)
            {
                var stopped = new TaskErrorDto("worker_stopped", "the worker stopped before the command finished; it runs again if it has attempts left", "retryable");
                var report = await FailAsync(task, token, stopped, started, process.ExitCode);
                return report.Outcome is TaskOutcome.Retrying or TaskOutcome.Failed ? report with { Outcome = TaskOutcome.Abandoned } : report;
            }

            return process.ExitCode is 0
                ? await CompleteAsync(task, token, process, stdout, started)
                : await FailAsync(task, token, Failure(process), started, process.ExitCode);
        }
    }

    private async Task<TaskReport> CompleteAsync(TaskDto task, long token, ShellProcess process, string stdout, long started)
    {
        if (process.OutputTruncated)
        {
            var error = new TaskErrorDto("result_too_large", "the command wrote more to stdout than a result may hold", "fatal");
            return await FailAsync(task, token, error, started, 0);
        }

        try
        {
            var done = await ReportAsync(task, ct => client.CompleteAsync(task.Id, token, ResultOf(stdout), ct));
            return new TaskReport(task, done.State == "review" ? TaskOutcome.Review : TaskOutcome.Completed, time.GetElapsedTime(started), 0);
        }
        catch (SwitchyardApiException ex) when (ex.Code == ErrorCodes.PayloadTooLarge)
        {
            return await FailAsync(task, token, new TaskErrorDto("result_too_large", ex.Detail, "fatal"), started, 0);
        }
        catch (Exception ex) when (IsReportFailure(ex))
        {
            return Unreported(task, ex, started, 0);
        }
    }

    private async Task<TaskReport> FailAsync(TaskDto task, long token, TaskErrorDto error, long started, int? exitCode)
    {
        try
        {
            var failed = await ReportAsync(task, ct => client.FailAsync(task.Id, token, error, null, ct));
            var outcome = failed.State == "failed" ? TaskOutcome.Failed : TaskOutcome.Retrying;
            return new TaskReport(task, outcome, time.GetElapsedTime(started), exitCode, error.Message);
        }
        catch (Exception ex) when (IsReportFailure(ex))
        {
            return Unreported(task, ex, started, exitCode);
        }
    }

    /// <summary>
    /// Sends a report, again while the server cannot take it (no connection, a time-out, a 5xx such as a server that is
    /// stopping), for up to <see cref="ReportPatience"/>: a finished command's outcome is not thrown away for a restart,
    /// and the task does not run twice. The server's answer to a report it read (409 stale_lease, say) is final.
    /// </summary>
    private async Task<T> ReportAsync<T>(TaskDto task, Func<CancellationToken, Task<T>> send)
    {
        var since = time.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(250);
        var told = false;
        while (true)
        {
            try
            {
                using var limit = new CancellationTokenSource(ReportTimeout, time);
                return await send(limit.Token);
            }
            catch (Exception ex) when (IsTransient(ex) && time.GetElapsedTime(since) + pause < ReportPatience)
            {
                if (!told)
                {
                    observer.Notice($"{task.Id}: cannot report yet ({ex.Message}); trying again for up to {ReportPatience.TotalSeconds:0} s");
                    told = true;
                }

                await Task.Delay(pause, time);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    private static bool IsTransient(Exception ex) => ex switch
    {
        SwitchyardApiException api => (int)api.StatusCode >= 500,
        HttpRequestException or TimeoutException or OperationCanceledException => true,
        _ => false,
    };

    private TaskReport Unreported(TaskDto task, Exception ex, long started, int? exitCode)
    {
        var outcome = ex is SwitchyardApiException api ? LeaseKeeper.OutcomeOf(api) ?? TaskOutcome.Unreported : TaskOutcome.Unreported;
        return new TaskReport(task, outcome, time.GetElapsedTime(started), exitCode, ex.Message);
    }

    private TaskErrorDto Failure(ShellProcess process)
    {
        var tail = process.ErrorTail();
        var code = process.ExitCode ?? -1;
        var message = tail.Length > 0 ? tail : $"the command exited with code {code}";
        var details = new JsonText($"{{\"exitCode\":{code.ToString(CultureInfo.InvariantCulture)}}}");
        return new TaskErrorDto("command_failed", message, options.FailKind, details);
    }

    /// <summary>Stdout that is JSON is the result; other text becomes a JSON string (without its final newline); none is null.</summary>
    internal static JsonText ResultOf(string stdout)
    {
        if (string.IsNullOrWhiteSpace(stdout))
        {
            return JsonText.Null;
        }

        return JsonText.TryParse(stdout, out var json)
            ? json
            : new JsonText(JsonSerializer.Serialize(stdout.TrimEnd('\n', '\r'), ContractsJsonContext.Default.String));
    }

    private static bool IsReportFailure(Exception ex) =>
        ex is SwitchyardApiException or HttpRequestException or TimeoutException or OperationCanceledException;

    private Dictionary<string, string> Environment(TaskDto task) => new(StringComparer.Ordinal)
    {
        ["SWITCHYARD_SERVER"] = client.BaseAddress.ToString(),
        ["SWITCHYARD_TASK_ID"] = task.Id,
        ["SWITCHYARD_TASK_TYPE"] = task.Type,
        ["SWITCHYARD_ATTEMPT"] = task.Attempt.ToString(CultureInfo.InvariantCulture),
        ["SWITCHYARD_QUEUE"] = task.Queue,
        ["SWITCHYARD_LEASE_TOKEN"] = task.Lease!.Token.ToString(CultureInfo.InvariantCulture),
    };
}
