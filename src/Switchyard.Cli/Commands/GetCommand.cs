using System.CommandLine;
using Switchyard.Cli.Output;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard get ID [--wait SECONDS]</c>: prints the task as indented JSON.</summary>
internal static class GetCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var wait = new Option<double?>("--wait", "-w") { Description = "Wait up to SECONDS for the task to settle first (the server caps it at 300)", HelpName = "SECONDS" };
        var command = new Command("get", "Show a task.") { id, wait };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var seconds = context.Get(wait);
            if (seconds is < 0)
            {
                throw new CliUsageException("--wait must not be negative");
            }

            var task = await context.Client.GetAsync(context.Get(id)!, seconds is { } s ? TimeSpan.FromSeconds(s) : null, cancellationToken);
            await TaskOutput.WriteAsync(context, task);
            return ExitCodes.Ok;
        });
        return command;
    }
}
