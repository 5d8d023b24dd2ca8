using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Output;

/// <summary>How commands show tasks: indented JSON for one, a table or JSON lines for many, and exit codes for settled ones.</summary>
internal static class TaskOutput
{
    public static Task WriteAsync(CliContext context, TaskDto task) =>
        JsonOutput.WriteIndentedAsync(context.Out, task, ContractsJsonContext.Default.TaskDto);

    /// <summary>The task as JSON with <c>--json</c>, else <c>ID STATE</c>.</summary>
    public static Task WriteBriefAsync(CliContext context, TaskDto task) =>
        context.Json ? WriteAsync(context, task) : context.Out.WriteLineAsync($"{task.Id} {task.State}");

    public static async Task WriteManyAsync(CliContext context, IAsyncEnumerable<TaskDto> tasks, CancellationToken cancellationToken)
    {
        if (context.Json)
        {
            await foreach (var task in tasks.WithCancellation(cancellationToken))
            {
                await JsonOutput.WriteLineAsync(context.Out, task, ContractsJsonContext.Default.TaskDto);
            }

            return;
        }

        var table = Tables.Create("ID", "TYPE", "QUEUE", "STATE", "ATTEMPT", "PRIORITY", "CREATED");
        await foreach (var task in tasks.WithCancellation(cancellationToken))
        {
            table.AddRow(task.Id, task.Type, task.Queue, task.State, $"{task.Attempt}/{task.MaxAttempts}",
                Tables.Number(task.Priority), Tables.Time(task.CreatedAt));
        }

        Tables.Write(context.Out, table);
    }

    /// <summary>0 for a completed task or one held for review, else why the caller did not get its result.</summary>
    public static int ExitCodeOf(TaskDto task) => task.State switch
    {
        "completed" or "review" => ExitCodes.Ok,
        "failed" => ExitCodes.TaskFailed,
        "cancelled" => ExitCodes.TaskCancelled,
        _ => ExitCodes.NotSettled,
    };
}
