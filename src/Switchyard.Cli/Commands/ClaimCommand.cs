using System.CommandLine;
using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard claim --worker ID</c>: leases tasks for a script and prints each as a JSON line, with its
/// <c>lease.token</c> for <c>heartbeat</c>, <c>complete</c> and <c>fail</c>. Prints nothing when no work arrived in time.
/// </summary>
internal static class ClaimCommand
{
    public static Command Build(CommandSetup setup)
    {
        var worker = new Option<string>("--worker") { Description = "Worker id that will hold the leases", Required = true };
        var queues = new Option<string[]>("--queue", "-q") { Description = "Queue to take from (repeatable; default: default)" };
        var groups = new Option<string[]>("--group", "-g") { Description = "Group this worker serves (repeatable)" };
        var types = new Option<string[]>("--type", "-t") { Description = "Only this task type (repeatable)" };
        var max = new Option<int?>("--max", "-n") { Description = "Most tasks to lease (default 1)" };
        var leaseMs = new Option<long?>("--lease-ms") { Description = "Lease length in milliseconds" };
        var waitMs = new Option<long?>("--wait-ms") { Description = "Wait up to this many milliseconds for work (default: answer at once)" };
        var command = new Command("claim", "Lease tasks for a script; prints them as JSON lines with their lease tokens.")
        {
            worker, queues, groups, types, max, leaseMs, waitMs,
        };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var tasks = await context.Client.ClaimAsync(new ClaimTasksRequest
            {
                WorkerId = context.Get(worker),
                Queues = NullIfEmpty(context.Get(queues)),
                Groups = NullIfEmpty(context.Get(groups)),
                Types = NullIfEmpty(context.Get(types)),
                MaxTasks = context.Get(max),
                LeaseMs = context.Get(leaseMs),
                WaitMs = context.Get(waitMs),
            }, cancellationToken);
            foreach (var task in tasks)
            {
                await JsonOutput.WriteLineAsync(context.Out, task, ContractsJsonContext.Default.TaskDto);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;
}
