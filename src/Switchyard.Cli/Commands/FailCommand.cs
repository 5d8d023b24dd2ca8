using System.CommandLine;
using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard fail ID --token N --message M</c>: fails a leased task; a retryable error with attempts left runs again.</summary>
internal static class FailCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var token = WorkOptions.Token();
        var message = new Option<string>("--message", "-m", "--error") { Description = "What went wrong", Required = true };
        var kind = WorkOptions.Kind("--kind", "How the error counts");
        var code = new Option<string?>("--code") { Description = "Error code (default: worker_error)" };
        var retryAfterMs = new Option<long?>("--retry-after-ms") { Description = "Run the retry no earlier than this many milliseconds from now" };
        var command = new Command("fail", "Fail a leased task.") { id, token, message, kind, code, retryAfterMs };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var error = new TaskErrorDto(context.Get(code), context.Get(message)!, context.Get(kind));
            var task = await context.Client.FailAsync(context.Get(id)!, context.Get(token), error, context.Get(retryAfterMs), cancellationToken);
            await TaskOutput.WriteBriefAsync(context, task);
            return ExitCodes.Ok;
        });
        return command;
    }
}
