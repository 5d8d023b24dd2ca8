using System.CommandLine;
using System.Globalization;
using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard history ID</c>: the task's applied moves, oldest first.</summary>
internal static class HistoryCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var command = new Command("history", "Show a task's history.") { id };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var entries = await context.Client.HistoryAsync(context.Get(id)!, cancellationToken);
            if (context.Json)
            {
                foreach (var entry in entries)
                {
                    await JsonOutput.WriteLineAsync(context.Out, entry, ContractsJsonContext.Default.HistoryEntryDto);
                }

                return ExitCodes.Ok;
            }

            var table = Tables.Create("AT", "EVENT", "FROM", "TO", "ATTEMPT", "ACTOR", "REASON");
            foreach (var e in entries)
            {
                table.AddRow(Tables.Time(e.At), e.Event, e.From, e.To, e.Attempt.ToString(CultureInfo.InvariantCulture), e.Actor, e.Reason);
            }

            Tables.Write(context.Out, table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
