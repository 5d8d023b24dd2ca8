using System.CommandLine;
using Switchyard.Bench.Workloads;
using Switchyard.Cli.Output;
using Switchyard.Cli.Worker;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard bench</c>: the peers' five workloads (W1, W1-bulk, W2, W3, W4) against Switchyard servers this command
/// starts itself (<c>switchyard serve</c> on 127.0.0.1, a fresh data folder per run), with its own worker process
/// (<c>switchyard bench worker</c>); a table of medians and one result file per durability in the peers' JSON shape.
/// See docs/performance.md.
/// </summary>
internal static class BenchCommand
{
    public static Command Build(CommandSetup setup)
    {
        var o = new BenchOptionSet();
        var command = new Command("bench", "Run the peers' workloads (W1, W1-bulk, W2, W3, W4) against fresh local servers and write the results.");
        foreach (var option in o.All)
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(BenchWorkerCommand.Build(setup));
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var options = o.Read(context, SelfCommand());
            await context.Error.WriteLineAsync(
                $"switchyard bench: {string.Join(", ", options.Workloads)} × durability {string.Join(", ", options.Durabilities)} × {options.Rounds} round(s) " +
                $"→ {Path.GetFullPath(options.OutputDirectory)}");
            var documents = await PeerBench.RunAsync(options, context.Error, cancellationToken);
            if (context.Json)
            {
                foreach (var document in documents)
                {
                    await context.Out.WriteLineAsync(ResultFiles.ToJson(document).ToJsonString());
                }
            }
            else
            {
                BenchTables.Write(context.Out, documents);
            }

            var failed = documents.Any(d => d.Workloads.Values.Any(s => s.Runs.Any(r => r.Error is not null)));
            return failed ? ExitCodes.ServerError : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>This very <c>switchyard</c> (apphost or <c>dotnet switchyard.dll</c>), to start the servers and the worker.</summary>
    private static SwitchyardCommand SelfCommand()
    {
        var self = ChildCommand.Self([]);
        return new SwitchyardCommand(self.FileName, self.Arguments);
    }
}
