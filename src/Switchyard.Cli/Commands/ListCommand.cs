using System.CommandLine;
using Switchyard.Cli.Output;
using Switchyard.Client;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard list</c>: tasks newest first, one page or (<c>--all</c>) every page; a table, or JSON lines.</summary>
internal static class ListCommand
{
    public static Command Build(CommandSetup setup)
    {
        var state = new Option<string[]>("--state") { Description = "Only these states (repeatable or comma-separated)" };
        var queue = new Option<string?>("--queue", "-q") { Description = "Only this queue" };
        var type = new Option<string?>("--type", "-t") { Description = "Only this type" };
        var group = new Option<string?>("--group", "-g") { Description = "Only this group" };
        var scope = new Option<string?>("--scope") { Description = "Only this scope (tenant)" };
        var correlationId = new Option<string?>("--correlation-id") { Description = "Only tasks with this correlation id" };
        var worker = new Option<string?>("--worker", "-w") { Description = "Only tasks running on this worker (its id, as 'switchyard workers' shows)" };
        var labels = Options.Labels("Only tasks with this label key=value (repeatable)");
        var limit = new Option<int?>("--limit", "-n") { Description = "Tasks per page" };
        var cursor = new Option<string?>("--cursor") { Description = "Start after this cursor (printed after a page that has more)" };
        var all = new Option<bool>("--all", "-a") { Description = "Follow the pages to the end" };
        var command = new Command("list", "List tasks.") { state, queue, type, group, scope, correlationId, worker, labels, limit, cursor, all };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var query = new TaskListQuery
            {
                States = context.Get(state)?.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
                Queue = context.Get(queue),
                Type = context.Get(type),
                Group = context.Get(group),
                Scope = context.Get(scope),
                CorrelationId = context.Get(correlationId),
                Worker = context.Get(worker),
                Labels = Options.ParseLabels(context.Get(labels)),
                Limit = context.Get(limit),
                Cursor = context.Get(cursor),
            };
            if (context.Get(all))
            {
                await TaskOutput.WriteManyAsync(context, context.Client.ListAllAsync(query, cancellationToken), cancellationToken);
                return ExitCodes.Ok;
            }

            var page = await context.Client.ListAsync(query, cancellationToken);
            await TaskOutput.WriteManyAsync(context, page.Tasks.ToAsyncEnumerable(), cancellationToken);
            if (page.NextCursor is { Length: > 0 } next && page.Tasks.Count > 0)
            {
                await context.Error.WriteLineAsync($"more: --cursor {next}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
