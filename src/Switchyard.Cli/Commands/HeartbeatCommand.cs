using System.CommandLine;
using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard heartbeat ID --token N</c>: extends a lease and records progress.</summary>
internal static class HeartbeatCommand
{
    public static Command Build(CommandSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "Task id" };
        var token = WorkOptions.Token();
        var percent = new Option<double?>("--percent") { Description = "Progress, 0 to 100" };
        var message = new Option<string?>("--message", "-m") { Description = "Progress message" };
        var leaseMs = new Option<long?>("--lease-ms") { Description = "New lease length in milliseconds (default: the task's)" };
        var command = new Command("heartbeat", "Extend a task's lease and report progress.") { id, token, percent, message, leaseMs };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var progress = context.Get(percent) is null && context.Get(message) is null ? null : new ProgressDto(context.Get(percent), context.Get(message));
            var lease = await context.Client.HeartbeatAsync(context.Get(id)!, context.Get(token), progress, context.Get(leaseMs), cancellationToken);
            await (context.Json
                ? JsonOutput.WriteIndentedAsync(context.Out, lease, ContractsJsonContext.Default.LeaseDto)
                : context.Out.WriteLineAsync($"{context.Get(id)} leased until {Tables.Time(lease.ExpiresAt)}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
