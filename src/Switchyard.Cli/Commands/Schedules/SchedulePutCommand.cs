using System.CommandLine;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands.Schedules;

/// <summary>
/// <c>switchyard schedules put ID --cron EXPR (--type TYPE | --template JSON)</c>: creates or replaces a schedule.
/// The template's flags (<c>--type</c>, <c>--payload</c>, <c>--queue</c>...) override the fields of <c>--template</c>.
/// </summary>
internal static class SchedulePutCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Schedule id" };
        var cron = new Option<string>("--cron") { Description = "Cron expression: 5 fields (minute first), 6 (second first) or a macro such as @daily", Required = true };
        var zone = new Option<string?>("--tz", "--time-zone") { Description = "IANA time zone the expression is read in (default UTC)" };
        var missed = new Option<string?>("--missed-runs", "--missed") { Description = "Runs missed while the server was down: skip (default), once or all" };
        var paused = new Option<bool>("--paused") { Description = "Store it paused (without this flag a stored schedule keeps its flag)" };
        var template = new Option<string?>("--template") { Description = "The task each run submits, as a submit body JSON ('-' reads standard input)" };
        var templateFile = new Option<string?>("--template-file") { Description = "Read the template JSON from this file" };
        var type = new Option<string?>("--type", "-t") { Description = "Task type of each run" };
        var payload = new Option<string?>("--payload") { Description = "Payload JSON of each run ('-' reads standard input)" };
        var queue = new Option<string?>("--queue", "-q") { Description = "Queue (default: default)" };
        var group = new Option<string?>("--group", "-g") { Description = "Routing group (db.maintenance runs in group system)" };
        var priority = new Option<int?>("--priority", "-p") { Description = "Priority, higher first" };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts before a run's task fails" };
        var timeoutMs = new Option<long?>("--timeout-ms") { Description = "Deadline of each run's task, in milliseconds from submission" };
        var labels = Options.Labels("Label key=value of each run's task (repeatable)");
        var command = new Command("put", "Create or replace a schedule.")
        {
            id, cron, zone, missed, paused, template, templateFile, type, payload, queue, group, priority, maxAttempts, timeoutMs, labels,
        };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var baseTemplate = await JsonInput.ReadAsync("template", context.Get(template), context.Get(templateFile), false, context.Environment, cancellationToken);
            var request = baseTemplate is { } json ? Parse(json.Raw) : new SubmitTaskRequest();
            request = request with
            {
                Type = context.Get(type) ?? request.Type,
                Payload = await JsonInput.ReadAsync("payload", context.Get(payload), null, false, context.Environment, cancellationToken) ?? request.Payload,
                Queue = context.Get(queue) ?? request.Queue,
                Group = context.Get(group) ?? request.Group,
                Priority = context.Get(priority) ?? request.Priority,
                MaxAttempts = context.Get(maxAttempts) ?? request.MaxAttempts,
                TimeoutMs = context.Get(timeoutMs) ?? request.TimeoutMs,
                Labels = Options.ParseLabels(context.Get(labels)) ?? request.Labels,
            };
            if (string.IsNullOrEmpty(request.Type))
            {
                throw new CliUsageException("name the task type of each run with --type, or give a --template with a type");
            }

            var stored = await context.Client.PutScheduleAsync(context.Get(id)!, new PutScheduleRequest
            {
                Cron = context.Get(cron),
                TimeZone = context.Get(zone),
                MissedRuns = context.Get(missed),
                Paused = context.Get(paused) ? true : null,
                Template = request,
            }, cancellationToken);
            await ScheduleOutput.WriteBriefAsync(context, stored);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static SubmitTaskRequest Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ContractsJsonContext.Default.SubmitTaskRequest)
                   ?? throw new CliUsageException("the template must be a JSON object (a submit body)");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"the template is not a submit body: {Client.Contracts.ContractJsonErrors.Describe(ex)}", ex);
        }
    }
}
