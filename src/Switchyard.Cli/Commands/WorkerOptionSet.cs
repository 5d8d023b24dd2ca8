using System.CommandLine;
using Switchyard.Cli.Worker;
using Switchyard.Worker.Handlers;

namespace Switchyard.Cli.Commands;

/// <summary>The options of <c>switchyard worker</c>, shared by its three modes (pull, push, pool).</summary>
internal sealed class WorkerOptionSet
{
    public Option<string?> Exec { get; } = new("--exec", "-e") { HelpName = "CMD", Description = "Pull mode: shell command to run per task (payload on stdin, JSON on stdout is the result)" };

    public Option<string[]> Handlers { get; } = new("--handlers", "-H")
    {
        HelpName = "LIST",
        Description = $"Push mode: built-in handlers to run, comma-separated ({string.Join(", ", BuiltInHandlers.Names)})",
    };

    public Option<string[]> Queues { get; } = new("--queue", "-q") { Description = "Queue to take from (repeatable; default: default)" };

    public Option<string[]> Groups { get; } = new("--group", "-g") { Description = "Group this worker serves (repeatable)" };

    public Option<string[]> Types { get; } = new("--type", "-t") { Description = "Only this task type (repeatable; push mode: default the handlers')" };

    public Option<int> Concurrency { get; } = new("--concurrency", "-c", "--capacity")
    {
        HelpName = "N",
        Description = "Tasks run at once (push mode: the capacity told to the server)",
        DefaultValueFactory = _ => ExecWorkerOptions.DefaultConcurrency,
    };

    public Option<long?> LeaseMs { get; } = new("--lease-ms") { Description = "Lease length in milliseconds; heartbeats come at a third of it" };

    public Option<long> WaitMs { get; } = new("--wait-ms")
    {
        Description = "Pull mode: how long each claim waits on the server for work",
        DefaultValueFactory = _ => ExecWorkerOptions.DefaultWaitMs,
    };

    public Option<string?> Name { get; } = new("--worker-id", "--name") { HelpName = "NAME", Description = "Worker id (pull) or name (push); default hostname-pid" };

    public Option<int?> MaxTasks { get; } = new("--max-tasks") { Description = "Pull mode: stop after this many tasks" };

    public Option<bool> Once { get; } = new("--once") { Description = "Pull mode: claim once (up to --concurrency tasks), run them, and exit" };

    public Option<double> Grace { get; } = new("--grace-seconds")
    {
        Description = "On Ctrl+C or SIGTERM, how long running tasks may finish before they are stopped and failed (retryable)",
        DefaultValueFactory = _ => ExecWorkerOptions.DefaultGrace.TotalSeconds,
    };

    public Option<string> FailKind { get; } = WorkOptions.Kind("--fail-kind", "Pull mode: error kind when the command exits non-zero");

    public Option<string?> LlmBaseUrl { get; } = new("--llm-base-url")
    {
        HelpName = "URL",
        Description = "llm.chat: the OpenAI-compatible provider, e.g. https://api.openai.com/v1 (env SWITCHYARD_LLM_BASE_URL; key in SWITCHYARD_LLM_API_KEY)",
    };

    public Option<string[]> FsRoots { get; } = new("--fs-root")
    {
        HelpName = "DIR",
        Description = $"fs.scan, fs.read, fs.write, analysis.scan: a folder they may use (repeatable; env {FileAccessOptions.RootsVariable})",
    };

    public Option<int?> Min { get; } = new("--min") { HelpName = "N", Description = "Pool mode: run at least this many worker processes" };

    public Option<int?> Max { get; } = new("--max") { HelpName = "M", Description = "Pool mode: run at most this many worker processes" };

    public Option<int?> ScalePer { get; } = new("--scale-per")
    {
        Description = "Pool mode: one process per this many tasks queued or running (default: --concurrency)",
    };

    public Option<double> IdleSeconds { get; } = new("--idle-seconds")
    {
        Description = "Pool mode: stop one process after demand stays below the pool's size this long",
        DefaultValueFactory = _ => PoolOptions.DefaultScaleDownAfter.TotalSeconds,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Also log when each task starts" };

    public IEnumerable<Option> All =>
    [
        Exec, Handlers, Queues, Groups, Types, Concurrency, LeaseMs, WaitMs, Name, MaxTasks, Once, Grace, FailKind, LlmBaseUrl, FsRoots,
        Min, Max, ScalePer, IdleSeconds, Verbose,
    ];

    /// <summary>The handler names of <c>--handlers a,b --handlers c</c>.</summary>
    public static IReadOnlyList<string> SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray();
}
