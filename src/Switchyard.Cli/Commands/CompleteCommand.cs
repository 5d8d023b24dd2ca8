using System.CommandLine;
using Switchyard.Cli.Output;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard complete ID --token N [RESULT|-]</c>: completes a leased task with its result JSON.</summary>
internal static class CompleteCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var result = new Argument<string?>("RESULT") { Description = "Result JSON; '-' reads standard input (default: null)", Arity = ArgumentArity.ZeroOrOne };
        var token = WorkOptions.Token();
        var file = new Option<string?>("--file", "-f") { Description = "Read the result JSON from this file" };
        var command = new Command("complete", "Complete a leased task.") { id, result, token, file };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var json = await JsonInput.ReadAsync("result", context.Get(result), context.Get(file), false, context.Environment, cancellationToken);
            var task = await context.Client.CompleteAsync(context.Get(id)!, context.Get(token), json, cancellationToken);
            await TaskOutput.WriteBriefAsync(context, task);
            return ExitCodes.Ok;
        });
        return command;
    }
}
