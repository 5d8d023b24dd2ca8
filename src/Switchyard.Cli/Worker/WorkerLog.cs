using System.Globalization;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Worker;

/// <summary>
/// Logs the worker to a writer (stderr): one line per finished task with its id, type, outcome and duration;
/// with <paramref name="verbose"/> also a line when a task's command starts.
/// </summary>
internal sealed class WorkerLog(TextWriter writer, TimeProvider time, bool verbose = false) : IWorkerObserver
{
    private readonly Lock _gate = new();

    public void WorkerStarted(ExecWorkerOptions options) =>
        Write($"worker {options.WorkerId} taking {Join(options.Queues, "default")} " +
              $"(groups {Join(options.Groups, "default")}, types {Join(options.Types, "any")}), concurrency {options.Concurrency}");

    public void TaskStarted(TaskDto task, int processId)
    {
        if (verbose)
        {
            Write($"{task.Id} {task.Type} started attempt {task.Attempt} as pid {processId}");
        }
    }

    public void TaskFinished(TaskReport report)
    {
        var outcome = report.Outcome switch
        {
            TaskOutcome.LeaseLost => "lease-lost",
            _ => report.Outcome.ToString().ToLowerInvariant(),
        };
        var seconds = report.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        var exit = report.ExitCode is { } code ? $" exit {code}" : string.Empty;
        var message = string.IsNullOrEmpty(report.Message) ? string.Empty : ": " + OneLine(report.Message);
        Write($"{report.Task.Id} {report.Task.Type} {outcome} {seconds}s{exit}{message}");
    }

    public void Notice(string message) => Write(message);

    private void Write(string line)
    {
        var stamp = time.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            writer.WriteLine($"{stamp} {line}");
            writer.Flush();
        }
    }

    private static string Join(IReadOnlyList<string> values, string none) => values.Count == 0 ? none : string.Join(',', values);

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" | ").Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }
}
