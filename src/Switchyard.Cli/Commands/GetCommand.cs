using System.CommandLine;
using Switchyard.Cli.Output;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard get ID [--wait [SECONDS]]</c>: prints the task as indented JSON; with <c>--wait</c>, exits as a
/// waiting submit does (4 failed, 5 cancelled, 6 not settled when the wait ended).
/// </summary>
internal static class GetCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var wait = Options.Wait("Wait for the task to settle first, at most SECONDS (no value: until settled), with long polls that ride over a server restart");
        var command = new Command("get", "Show a task.") { id, wait };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var waitFor = context.Parse.GetWait(wait, out var displaced);
            if (displaced is not null)
            {
                throw new CliUsageException($"--wait takes a number of seconds, not '{displaced}'");
            }

            var task = waitFor is { } w
                ? await context.Client.WaitSettledAsync(context.Get(id)!, w, cancellationToken)
                : await context.Client.GetAsync(context.Get(id)!, cancellationToken: cancellationToken);
            await TaskOutput.WriteAsync(context, task);
            return waitFor is null ? ExitCodes.Ok : TaskOutput.ExitCodeOf(task); // a wait ends as submit --wait's does
        });
        return command;
    }
}
