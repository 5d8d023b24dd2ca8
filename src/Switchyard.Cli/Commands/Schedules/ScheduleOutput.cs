using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands.Schedules;

/// <summary>How schedule commands show schedules.</summary>
internal static class ScheduleOutput
{
    public static Task WriteAsync(CliContext context, ScheduleDto schedule) =>
        JsonOutput.WriteIndentedAsync(context.Out, schedule, ContractsJsonContext.Default.ScheduleDto);

    /// <summary>The schedule as JSON with <c>--json</c>, else <c>ID paused</c> or <c>ID next TIME</c>.</summary>
    public static Task WriteBriefAsync(CliContext context, ScheduleDto schedule) =>
        context.Json ? WriteAsync(context, schedule) : context.Out.WriteLineAsync($"{schedule.Id} {State(schedule)}");

    public static string State(ScheduleDto schedule) =>
        schedule.Paused ? "paused" : schedule.NextRunAt is { } next ? $"next {Tables.Time(next)}" : "no next run";
}
