using System.CommandLine;
using Switchyard.Cli.Output;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard accept ID</c> and <c>switchyard reject ID --feedback F</c>: decide on a task in review.</summary>
internal static class ReviewCommands
{
    public static Command BuildAccept(CommandSetup setup)
    {
        var (id, lease, force) = Common();
        var command = new Command("accept", "Accept a task's result held in review; its dependents may run.") { id, lease, force };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var task = await context.Client.AcceptAsync(context.Get(id)!, context.Get(lease), context.Get(force), cancellationToken);
            await TaskOutput.WriteBriefAsync(context, task);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command BuildReject(CommandSetup setup)
    {
        var (id, lease, force) = Common();
        var feedback = new Option<string>("--feedback", "-m") { Description = "Why: shown to the next attempt", Required = true };
        var command = new Command("reject", "Reject a task's result held in review; it runs again with the feedback.") { id, feedback, lease, force };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var task = await context.Client.RejectAsync(
                context.Get(id)!, context.Get(feedback)!, context.Get(lease), context.Get(force), cancellationToken);
            await TaskOutput.WriteBriefAsync(context, task);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (Argument<string> Id, Option<long?> Lease, Option<bool> Force) Common() => (
        new Argument<string>("ID") { Description = "Task id" },
        new Option<long?>("--lease") { Description = "Review lease token, when you claimed the task for review" },
        new Option<bool>("--force") { Description = "Decide even if another reviewer holds the task (admin keys only)" });
}
