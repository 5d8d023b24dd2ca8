using System.CommandLine;
using Switchyard.Cli.Output;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard get ID [--wait SECONDS]</c>: prints the task as indented JSON.</summary>
internal static class GetCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var wait = new Option<double?>("--wait", "-w") { Description = "Wait up to SECONDS for the task to settle first (long polls that ride over a server restart)", HelpName = "SECONDS" };
        var command = new Command("get", "Show a task.") { id, wait };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var seconds = context.Get(wait);
            if (seconds is < 0)
            {
                throw new CliUsageException("--wait must not be negative");
            }

            var task = seconds is { } s
                ? await context.Client.WaitSettledAsync(context.Get(id)!, TimeSpan.FromSeconds(s), cancellationToken)
                : await context.Client.GetAsync(context.Get(id)!, cancellationToken: cancellationToken);
            await TaskOutput.WriteAsync(context, task);
            return ExitCodes.Ok;
        });
        return command;
    }
}
