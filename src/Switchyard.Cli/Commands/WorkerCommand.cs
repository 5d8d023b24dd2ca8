using System.CommandLine;
using Switchyard.Cli.Worker;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard worker</c> in three modes. <c>--exec CMD</c> (pull): takes tasks and runs <c>/bin/sh -c CMD</c> for
/// each, with the payload on stdin and <c>SWITCHYARD_TASK_ID</c>, <c>SWITCHYARD_TASK_TYPE</c>, <c>SWITCHYARD_ATTEMPT</c>
/// set; JSON on stdout is the result (other text becomes a JSON string); a non-zero exit fails the task with the last
/// stderr lines. <c>--handlers LIST</c> (push): the .NET push runtime with built-in handlers over <c>/ws/v1/worker</c>.
/// <c>--min N --max M</c> (pool): between N and M such worker processes, sized by queue depth. See docs/worker.md.
/// </summary>
internal static class WorkerCommand
{
    public static Command Build(CommandSetup setup)
    {
        var o = new WorkerOptionSet();
        var command = new Command("worker", "Run tasks as a worker: a shell command per task (--exec), built-in handlers (--handlers), or a pool of either (--min/--max).");
        foreach (var option in o.All)
        {
            command.Options.Add(option);
        }

        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var exec = context.Get(o.Exec);
            var handlers = WorkerOptionSet.SplitList(context.Get(o.Handlers));
            if (string.IsNullOrWhiteSpace(exec) == (handlers.Count == 0))
            {
                throw new CliUsageException(handlers.Count == 0
                    ? "worker needs either --exec CMD (pull mode) or --handlers LIST (push mode)"
                    : "worker takes --exec CMD (pull mode) or --handlers LIST (push mode), not both");
            }

            var grace = context.Get(o.Grace) is var seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : throw new CliUsageException("--grace-seconds must not be negative");
            if (context.Get(o.Min) is not null || context.Get(o.Max) is not null)
            {
                return await RunPoolAsync(context, o, grace, cancellationToken);
            }

            var name = DefaultName(context, o);
            var poolChild = context.Environment.GetVariable(ParentWatch.Variable) is "1";
            using var parent = poolChild
                ? ParentWatch.Link(context.Environment.Input, cancellationToken)
                : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            return handlers.Count > 0
                ? await RunPushAsync(context, setup, o, handlers, name, grace, poolChild ? $"[{name}] " : string.Empty, parent.Token)
                : await RunExecAsync(context, o, exec!, name, grace, parent.Token);
        });
        return command;
    }

    private static async Task<int> RunExecAsync(CliContext context, WorkerOptionSet o, string exec, string name, TimeSpan grace, CancellationToken stopping)
    {
        var options = new ExecWorkerOptions
        {
            Command = exec,
            WorkerId = name,
            Queues = context.Get(o.Queues) ?? [],
            Groups = context.Get(o.Groups) ?? [],
            Types = context.Get(o.Types) ?? [],
            Concurrency = context.Get(o.Concurrency),
            LeaseMs = context.Get(o.LeaseMs),
            WaitMs = context.Get(o.WaitMs),
            MaxTasks = context.Get(o.MaxTasks),
            Once = context.Get(o.Once),
            Grace = grace,
            FailKind = context.Get(o.FailKind) ?? "retryable",
        };
        var log = new WorkerLog(context.Error, context.Environment.Time, context.Get(o.Verbose));
        var worker = new ExecWorker(context.Client, options, log, context.Environment.Time);
        await worker.RunAsync(stopping, context.Environment.Abort);
        return ExitCodes.Ok;
    }

    private static Task<int> RunPushAsync(
        CliContext context, CommandSetup setup, WorkerOptionSet o, IReadOnlyList<string> handlers, string name, TimeSpan grace, string logPrefix,
        CancellationToken stopping)
    {
        if (context.Get(o.Once) || context.Get(o.MaxTasks) is not null || context.Parse.GetResult(o.WaitMs) is { Implicit: false } || context.Parse.GetResult(o.FailKind) is { Implicit: false })
        {
            throw new CliUsageException("--once, --max-tasks, --wait-ms and --fail-kind are for --exec (pull mode)");
        }

        var settings = new PushWorkerSettings
        {
            Handlers = handlers,
            Name = name,
            Queues = context.Get(o.Queues) ?? [],
            Groups = context.Get(o.Groups) ?? [],
            Types = context.Get(o.Types) ?? [],
            Capacity = context.Get(o.Concurrency),
            LeaseMs = context.Get(o.LeaseMs),
            Grace = grace,
            LlmBaseUrl = context.Get(o.LlmBaseUrl),
            FsRoots = context.Get(o.FsRoots) ?? [],
            Verbose = context.Get(o.Verbose),
            LogPrefix = logPrefix,
        };
        var apiKey = context.Get(setup.Globals.ApiKey) is { Length: > 0 } key ? key : context.Environment.GetVariable(GlobalOptions.ApiKeyVariable);
        return PushWorkerRunner.RunAsync(settings, context.Server, apiKey, context.Environment, context.Error, stopping);
    }

    private static async Task<int> RunPoolAsync(CliContext context, WorkerOptionSet o, TimeSpan grace, CancellationToken stopping)
    {
        var min = context.Get(o.Min) ?? 1;
        var max = context.Get(o.Max) ?? Math.Max(min, 1);
        var options = new PoolOptions
        {
            Rule = new PoolScaleRule(min, max, context.Get(o.ScalePer) ?? context.Get(o.Concurrency), TimeSpan.FromSeconds(context.Get(o.IdleSeconds))),
            Queues = context.Get(o.Queues) ?? [],
            Types = context.Get(o.Types) is { Length: > 0 } types ? types : WorkerOptionSet.SplitList(context.Get(o.Handlers)),
            Groups = context.Get(o.Groups) ?? [],
            StopTimeout = grace + TimeSpan.FromSeconds(10),
            Name = DefaultName(context, o),
            Push = string.IsNullOrWhiteSpace(context.Get(o.Exec)),
        };
        var command = ChildCommand.Self(ChildCommand.WithoutPoolOptions(context.Parse));
        var pool = new PoolSupervisor(options, command, context.Client, context.Error, context.Environment.Time);
        return await pool.RunAsync(stopping, context.Environment.Abort);
    }

    /// <summary>The worker's (or pool's) <c>--name</c>, else this host and process id.</summary>
    private static string DefaultName(CliContext context, WorkerOptionSet o) =>
        context.Get(o.Name) is { Length: > 0 } name ? name : $"{Environment.MachineName}-{Environment.ProcessId}";
}
