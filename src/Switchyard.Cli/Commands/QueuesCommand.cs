using System.CommandLine;
using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard queues [NAME]</c>: task counts per state of every queue, or of one.</summary>
internal static class QueuesCommand
{
    public static Command Build(CommandSetup setup)
    {
        var name = new Argument<string?>("NAME") { Description = "Only this queue", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("queues", "Show queues and their task counts per state.") { name };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var queues = context.Get(name) is { } one
                ? [await context.Client.GetQueueAsync(one, cancellationToken)]
                : await context.Client.ListQueuesAsync(cancellationToken);
            if (context.Json)
            {
                foreach (var queue in queues)
                {
                    await JsonOutput.WriteLineAsync(context.Out, queue, ContractsJsonContext.Default.QueueDto);
                }

                return ExitCodes.Ok;
            }

            var states = TaskStates.AllNames.Concat(queues.SelectMany(q => q.Counts.Keys)).Distinct(StringComparer.Ordinal).ToArray();
            var table = Tables.Create(["QUEUE", .. states.Select(s => s.ToUpperInvariant()), "WAITING", "MAX"]);
            foreach (var q in queues)
            {
                table.AddRow([q.Name, .. states.Select(s => Tables.Number(q.Counts.GetValueOrDefault(s))), Tables.Number(q.Waiting),
                    q.MaxLength is { } max ? Tables.Number(max) : "-"]);
            }

            Tables.Write(context.Out, table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
