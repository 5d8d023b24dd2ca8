using System.CommandLine;
using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands.Schedules;

/// <summary><c>switchyard schedules list</c>: every schedule, a table or JSON lines.</summary>
internal static class ScheduleListCommand
{
    public static Command Build(CommandSetup setup)
    {
        var command = new Command("list", "List schedules.");
        command.Aliases.Add("ls");
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var all = new List<ScheduleDto>();
            string? cursor = null;
            do
            {
                var page = await context.Client.ListSchedulesAsync(null, cursor, cancellationToken);
                all.AddRange(page.Schedules);
                cursor = page.Schedules.Count > 0 ? page.NextCursor : null;
            }
            while (cursor is not null);

            if (context.Json)
            {
                foreach (var schedule in all)
                {
                    await JsonOutput.WriteLineAsync(context.Out, schedule, ContractsJsonContext.Default.ScheduleDto);
                }

                return ExitCodes.Ok;
            }

            var table = Tables.Create("ID", "CRON", "TIME ZONE", "TYPE", "QUEUE", "MISSED", "STATE", "LAST RUN", "LAST TASK");
            foreach (var s in all)
            {
                table.AddRow(s.Id, s.Cron, s.TimeZone, s.Template.Type, s.Template.Queue ?? "default", s.MissedRuns, ScheduleOutput.State(s),
                    Tables.Time(s.LastRunAt), s.LastError is null ? s.LastTaskId : "error: " + s.LastError);
            }

            Tables.Write(context.Out, table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
