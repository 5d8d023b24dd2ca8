using System.CommandLine;
using Switchyard.Cli.Worker;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard worker --exec CMD</c>: takes tasks and runs <c>/bin/sh -c CMD</c> for each, with the payload on stdin
/// and <c>SWITCHYARD_TASK_ID</c>, <c>SWITCHYARD_TASK_TYPE</c>, <c>SWITCHYARD_ATTEMPT</c> set. JSON on stdout is the
/// result (other text becomes a JSON string); a non-zero exit fails the task with the last stderr lines.
/// </summary>
internal static class WorkerCommand
{
    public static Command Build(CommandSetup setup)
    {
        var exec = new Option<string>("--exec", "-e") { Description = "Shell command to run per task", Required = true };
        var queues = new Option<string[]>("--queue", "-q") { Description = "Queue to take from (repeatable; default: default)" };
        var groups = new Option<string[]>("--group", "-g") { Description = "Group this worker serves (repeatable)" };
        var types = new Option<string[]>("--type", "-t") { Description = "Only this task type (repeatable)" };
        var concurrency = new Option<int>("--concurrency", "-c")
        {
            Description = "Commands run at once",
            DefaultValueFactory = _ => ExecWorkerOptions.DefaultConcurrency,
        };
        var leaseMs = new Option<long?>("--lease-ms") { Description = "Lease length in milliseconds; heartbeats come at a third of it" };
        var waitMs = new Option<long>("--wait-ms")
        {
            Description = "How long each claim waits on the server for work",
            DefaultValueFactory = _ => ExecWorkerOptions.DefaultWaitMs,
        };
        var workerId = new Option<string?>("--worker-id") { Description = "Worker id (default: hostname-pid)" };
        var maxTasks = new Option<int?>("--max-tasks") { Description = "Stop after this many tasks" };
        var once = new Option<bool>("--once") { Description = "Claim once (up to --concurrency tasks), run them, and exit" };
        var grace = new Option<double>("--grace-seconds")
        {
            Description = "On Ctrl+C or SIGTERM, how long running commands may finish before they are killed and failed (retryable)",
            DefaultValueFactory = _ => ExecWorkerOptions.DefaultGrace.TotalSeconds,
        };
        var failKind = WorkOptions.Kind("--fail-kind", "Error kind when the command exits non-zero");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also log when each task's command starts" };
        var command = new Command("worker", "Run a shell command for each task, as a worker.")
        {
            exec, queues, groups, types, concurrency, leaseMs, waitMs, workerId, maxTasks, once, grace, failKind, verbose,
        };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var options = new ExecWorkerOptions
            {
                Command = context.Get(exec)!,
                WorkerId = context.Get(workerId) is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Environment.ProcessId}",
                Queues = context.Get(queues) ?? [],
                Groups = context.Get(groups) ?? [],
                Types = context.Get(types) ?? [],
                Concurrency = context.Get(concurrency),
                LeaseMs = context.Get(leaseMs),
                WaitMs = context.Get(waitMs),
                MaxTasks = context.Get(maxTasks),
                Once = context.Get(once),
                Grace = context.Get(grace) is var seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : throw new CliUsageException("--grace-seconds must not be negative"),
                FailKind = context.Get(failKind) ?? "retryable",
            };
            var log = new WorkerLog(context.Error, context.Environment.Time, context.Get(verbose));
            var worker = new ExecWorker(context.Client, options, log, context.Environment.Time);
            await worker.RunAsync(cancellationToken, context.Environment.Abort);
            return ExitCodes.Ok;
        });
        return command;
    }
}
