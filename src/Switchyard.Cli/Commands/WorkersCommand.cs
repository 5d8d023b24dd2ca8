using System.CommandLine;
using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard workers</c>: the connected push workers (every node's on PostgreSQL); <c>workers quiet ID</c> stops
/// pushing to one, <c>workers terminate ID [--grace-seconds S]</c> also tells it to finish and close.
/// </summary>
internal static class WorkersCommand
{
    public static Command Build(CommandSetup setup)
    {
        var command = new Command("workers", "Show the connected push workers (every node's), or tell one to go quiet or terminate.");
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            await WriteAsync(context, await context.Client.ListWorkersAsync(cancellationToken));
            return ExitCodes.Ok;
        });

        var quietId = new Argument<string>("ID") { Description = "Worker id (as listed)" };
        var quiet = new Command("quiet", "Push no more tasks to a worker; it finishes what it holds and stays connected.") { quietId };
        CliAction.Set(quiet, setup, async (context, cancellationToken) =>
        {
            await WriteAsync(context, [await context.Client.QuietWorkerAsync(context.Get(quietId)!, cancellationToken)]);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(quiet);

        var terminateId = new Argument<string>("ID") { Description = "Worker id (as listed)" };
        var grace = new Option<double?>("--grace-seconds") { Description = "How long it may finish its tasks before it is closed (default 30)" };
        var terminate = new Command("terminate", "Push no more tasks to a worker and tell it to finish within the grace and close.") { terminateId, grace };
        CliAction.Set(terminate, setup, async (context, cancellationToken) =>
        {
            var seconds = context.Get(grace);
            if (seconds is < 0)
            {
                throw new CliUsageException("--grace-seconds must not be negative");
            }

            var answer = await context.Client.TerminateWorkerAsync(
                context.Get(terminateId)!, seconds is { } s ? TimeSpan.FromSeconds(s) : null, cancellationToken);
            await WriteAsync(context, [answer]);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(terminate);
        return command;
    }

    /// <summary>Workers as JSON lines with <c>--json</c>, else a table.</summary>
    private static async Task WriteAsync(CliContext context, IReadOnlyList<WorkerDto> workers)
    {
        if (context.Json)
        {
            foreach (var worker in workers)
            {
                await JsonOutput.WriteLineAsync(context.Out, worker, ContractsJsonContext.Default.WorkerDto);
            }

            return;
        }

        var nodes = workers.Any(w => w.Node is not null);
        var table = Tables.Create(nodes
            ? ["ID", "NAME", "NODE", "PROTOCOL", "QUEUES", "GROUPS", "TYPES", "FREE", "TASKS", "QUIET", "CONNECTED"]
            : ["ID", "NAME", "PROTOCOL", "QUEUES", "GROUPS", "TYPES", "FREE", "TASKS", "QUIET", "CONNECTED"]);
        foreach (var w in workers)
        {
            string[] head = nodes ? [w.Id, w.Name, w.Node ?? "-"] : [w.Id, w.Name];
            table.AddRow([.. head, w.Protocol, List(w.Queues), List(w.Groups), List(w.Types),
                w.Credits is { } credits ? Tables.Number(credits) : "-", w.Tasks is { } tasks ? Tables.Number(tasks.Count) : "-",
                w.Quiet ? "yes" : "no", Tables.Time(w.ConnectedAt)]);
        }

        Tables.Write(context.Out, table);
    }

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "-" : string.Join(',', items);
}
