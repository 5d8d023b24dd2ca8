using System.CommandLine;
using Switchyard.Cli.Output;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard cancel ID [--reason R]</c>: cancels a task; its worker is told to stop.</summary>
internal static class CancelCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var reason = new Option<string?>("--reason", "-r") { Description = "Why, kept in the history" };
        var command = new Command("cancel", "Cancel a task.") { id, reason };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            await TaskOutput.WriteBriefAsync(context, await context.Client.CancelAsync(context.Get(id)!, context.Get(reason), cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }
}
