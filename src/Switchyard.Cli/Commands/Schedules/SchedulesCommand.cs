using System.CommandLine;
using Switchyard.Cli.Output;

namespace Switchyard.Cli.Commands.Schedules;

/// <summary><c>switchyard schedules list|get|put|rm|pause|resume|trigger</c>: recurring schedules.</summary>
internal static class SchedulesCommand
{
    public static Command Build(CommandSetup setup)
    {
        var command = new Command("schedules", "Manage recurring schedules: each submits a task when its cron expression matches.");
        command.Subcommands.Add(ScheduleListCommand.Build(setup));
        command.Subcommands.Add(OneSchedule(setup, "get", "Show a schedule.", (c, id, ct) => c.Client.GetScheduleAsync(id, ct), brief: false));
        command.Subcommands.Add(SchedulePutCommand.Build(setup));
        command.Subcommands.Add(Remove(setup));
        command.Subcommands.Add(OneSchedule(setup, "pause", "Pause a schedule's timed runs.", (c, id, ct) => c.Client.PauseScheduleAsync(id, ct), brief: true));
        command.Subcommands.Add(OneSchedule(setup, "resume", "Resume a schedule from its next run after now.",
            (c, id, ct) => c.Client.ResumeScheduleAsync(id, ct), brief: true));
        command.Subcommands.Add(Trigger(setup));
        return command;
    }

    private static Command OneSchedule(
        CommandSetup setup, string name, string description,
        Func<CliContext, string, CancellationToken, Task<Client.Contracts.ScheduleDto>> call, bool brief)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id" };
        var command = new Command(name, description) { id };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var schedule = await call(context, context.Get(id)!, cancellationToken);
            await (brief ? ScheduleOutput.WriteBriefAsync(context, schedule) : ScheduleOutput.WriteAsync(context, schedule));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id" };
        var command = new Command("rm", "Delete a schedule (the tasks it submitted stay).") { id };
        command.Aliases.Add("delete");
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            await context.Client.DeleteScheduleAsync(context.Get(id)!, cancellationToken);
            await context.Out.WriteLineAsync($"{context.Get(id)} deleted");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Trigger(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id" };
        var command = new Command("trigger", "Run a schedule now (even when paused); prints the task id.") { id };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var task = await context.Client.TriggerScheduleAsync(context.Get(id)!, cancellationToken);
            await (context.Json ? TaskOutput.WriteAsync(context, task) : context.Out.WriteLineAsync(task.Id));
            return ExitCodes.Ok;
        });
        return command;
    }
}
