using System.CommandLine;
using Spectre.Console;
using Switchyard.Cli.Output;
using Switchyard.Client;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard watch</c>: follows the event stream (<c>GET /api/v1/events</c>) with the same filters, reconnecting with the
/// last seq seen. A live view on a terminal, one line per event when piped, one JSON object per line with <c>--json</c>.
/// </summary>
internal static class WatchCommand
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    public static Command Build(CommandSetup setup)
    {
        var types = new Option<string[]>("--type", "-t") { Description = "Only these event types (repeatable or comma-separated; task.completed, task-completed, task.*)" };
        var queue = new Option<string?>("--queue", "-q") { Description = "Only events of tasks in this queue" };
        var task = new Option<string?>("--task") { Description = "Only events of this task" };
        var correlationId = new Option<string?>("--correlation-id") { Description = "Only events of tasks with this correlation id" };
        var scope = new Option<string?>("--scope") { Description = "Only events of tasks in this scope (tenant)" };
        var project = new Option<string?>("--project") { Description = "Only events of tasks labelled project=NAME" };
        var after = new Option<long?>("--last-event-id") { Description = "Start after this seq (replays what the server still holds)", HelpName = "SEQ" };
        var count = new Option<int?>("--count", "-n") { Description = "Stop after this many task events", HelpName = "N" };
        var command = new Command("watch", "Follow task events as they happen.") { types, queue, task, correlationId, scope, project, after, count };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var filter = new EventStreamFilter
            {
                Types = context.Get(types)?.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
                Queue = context.Get(queue),
                TaskId = context.Get(task),
                CorrelationId = context.Get(correlationId),
                Scope = context.Get(scope),
                Project = context.Get(project),
            };
            if (context.Get(count) is < 1)
            {
                throw new CliUsageException("--count must be at least 1");
            }

            var watch = new EventWatch(context, filter, context.Get(after), context.Get(count));
            var output = new AnsiConsoleOutput(context.Out);
            if (context.Json || !output.IsTerminal)
            {
                await watch.RunAsync(frame => WriteLineAsync(context, frame), cancellationToken);
                return ExitCodes.Ok;
            }

            var view = new WatchView(context.Server.ToString(), FilterText(filter));
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = output });
            await console.Live(view.Render()).StartAsync(async live =>
            {
                watch.StatusChanged = status =>
                {
                    view.Status = status;
                    live.UpdateTarget(view.Render());
                };
                await watch.RunAsync(frame =>
                {
                    view.Add(frame);
                    view.LastSeq = Math.Max(view.LastSeq, frame.Seq);
                    live.UpdateTarget(view.Render());
                    return Task.CompletedTask;
                }, cancellationToken);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Task WriteLineAsync(CliContext context, EventDto frame) =>
        frame.Type is "stream.open" or "stream.heartbeat" ? Task.CompletedTask
        : context.Json ? JsonOutput.WriteLineAsync(context.Out, frame, ContractsJsonContext.Default.EventDto)
        : context.Out.WriteLineAsync(string.Join("  ", WatchView.Cells(frame)));

    private static string FilterText(EventStreamFilter f) => string.Join(' ', new[]
    {
        f.Types is { Count: > 0 } t ? "type=" + string.Join(',', t) : null,
        f.Queue is null ? null : "queue=" + f.Queue,
        f.TaskId is null ? null : "task=" + f.TaskId,
        f.CorrelationId is null ? null : "correlationId=" + f.CorrelationId,
        f.Scope is null ? null : "scope=" + f.Scope,
        f.Project is null ? null : "project=" + f.Project,
    }.Where(s => s is not null));

    /// <summary>The stream with reconnects: after a drop or an ended stream, waits (1 s doubling to 10 s) and resumes after the last seq seen.</summary>
    private sealed class EventWatch(CliContext context, EventStreamFilter filter, long? lastEventId, int? count)
    {
        public Action<string> StatusChanged { get; set; } = _ => { };

        public async Task RunAsync(Func<EventDto, Task> show, CancellationToken cancellationToken)
        {
            var seen = 0;
            var retry = FirstRetry;
            var connectedOnce = false;
            while (true)
            {
                try
                {
                    await foreach (var frame in context.Client.WatchEventsAsync(filter, lastEventId, cancellationToken))
                    {
                        connectedOnce = true;
                        retry = FirstRetry;
                        StatusChanged("connected");
                        lastEventId = frame.Seq > 0 ? frame.Seq : lastEventId;
                        await show(frame);
                        if (!frame.IsStreamNotice() && ++seen == count)
                        {
                            return;
                        }
                    }
                }
                catch (Exception ex) when (connectedOnce && ex is HttpRequestException or IOException or TimeoutException)
                {
                    // Reconnect below, like an ended stream.
                }

                StatusChanged($"reconnecting in {retry.TotalSeconds:0} s");
                if (context.Json)
                {
                    await context.Error.WriteLineAsync($"switchyard: event stream ended; reconnecting after {lastEventId} in {retry.TotalSeconds:0} s");
                }

                await Task.Delay(retry, cancellationToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
            }
        }
    }
}
