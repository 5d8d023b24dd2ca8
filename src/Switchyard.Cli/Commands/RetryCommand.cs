using System.CommandLine;
using Switchyard.Cli.Output;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard retry ID [--reason R]</c>: queues a failed or cancelled task again.</summary>
internal static class RetryCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var reason = new Option<string?>("--reason", "-r") { Description = "Why, kept in the history" };
        var command = new Command("retry", "Queue a failed or cancelled task again.") { id, reason };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            await TaskOutput.WriteBriefAsync(context, await context.Client.RetryAsync(context.Get(id)!, context.Get(reason), cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }
}
