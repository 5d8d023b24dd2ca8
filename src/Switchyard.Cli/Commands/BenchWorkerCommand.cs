using System.CommandLine;
using Switchyard.Bench.Workloads;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard bench worker</c> (hidden): the worker process <c>switchyard bench</c> starts for each run, driven over
/// stdin/stdout (see <see cref="BenchWorker"/>). Not meant to be run by hand.
/// </summary>
internal static class BenchWorkerCommand
{
    public static Command Build(CommandSetup setup)
    {
        var capacity = new Option<int>("--capacity") { DefaultValueFactory = _ => PeerBenchOptions.DefaultWorkerCapacity };
        var warmup = new Option<bool>("--warmup") { Description = "Serve the warm-up queue until told 'end-warmup'" };
        var command = new Command("worker", "The bench's worker process (started by 'switchyard bench').") { capacity, warmup };
        command.Hidden = true;
        CliAction.Set(command, setup, (context, cancellationToken) =>
            BenchWorker.RunAsync(context.Server, context.Get(capacity), context.Get(warmup), context.Environment.Input, context.Out, cancellationToken));
        return command;
    }
}
