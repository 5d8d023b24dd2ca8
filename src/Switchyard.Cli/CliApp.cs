using System.CommandLine;
using Switchyard.Cli.Commands;

namespace Switchyard.Cli;

/// <summary>The <c>switchyard</c> command: its subcommands and the options they share.</summary>
internal static class CliApp
{
    public static RootCommand Build(CliEnvironment? environment = null)
    {
        var globals = new GlobalOptions();
        var setup = new CommandSetup(globals, environment ?? new CliEnvironment());
        var root = new RootCommand(
            "Switchyard: a durable task-orchestration server for AI and agent workloads.\n" +
            "Exit codes: 0 ok, 1 server refused, 2 bad input, 3 server unreachable, 4 task failed, 5 task cancelled, 6 still unsettled.")
        {
            globals.Server, globals.ApiKey, globals.Json,
        };
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(MigrateCommand.Build(globals.Json));
        root.Subcommands.Add(SubmitCommand.Build(setup));
        root.Subcommands.Add(GetCommand.Build(setup));
        root.Subcommands.Add(ListCommand.Build(setup));
        root.Subcommands.Add(HistoryCommand.Build(setup));
        root.Subcommands.Add(CancelCommand.Build(setup));
        root.Subcommands.Add(RetryCommand.Build(setup));
        root.Subcommands.Add(ReviewCommands.BuildAccept(setup));
        root.Subcommands.Add(ReviewCommands.BuildReject(setup));
        root.Subcommands.Add(QueuesCommand.Build(setup));
        root.Subcommands.Add(WorkersCommand.Build(setup));
        root.Subcommands.Add(TypesCommand.Build(setup));
        root.Subcommands.Add(ClaimCommand.Build(setup));
        root.Subcommands.Add(HeartbeatCommand.Build(setup));
        root.Subcommands.Add(CompleteCommand.Build(setup));
        root.Subcommands.Add(FailCommand.Build(setup));
        root.Subcommands.Add(WorkerCommand.Build(setup));
        root.Subcommands.Add(BenchCommand.Build(setup));
        root.Subcommands.Add(WatchCommand.Build(setup));
        root.Subcommands.Add(Commands.Schedules.SchedulesCommand.Build(setup));
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>; a command line that does not parse prints its errors (<see cref="UsageErrors"/>) and exits 2.
    /// Response files are off, so an argument starting with <c>@</c> (a payload, say) stays as it is. No arguments at all
    /// print the help: the list of commands.
    /// </summary>
    public static async Task<int> InvokeAsync(
        string[] args, CliEnvironment environment, InvocationConfiguration configuration, CancellationToken cancellationToken)
    {
        var parse = Build(environment).Parse(args.Length == 0 ? ["--help"] : args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            await UsageErrors.WriteAsync(parse, configuration.Error ?? Console.Error);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>
    /// Runs the process's command line with two-step Ctrl+C/SIGTERM handling (see <see cref="TerminationSignals"/>):
    /// the first cancels the command's token, the second the environment's <see cref="CliEnvironment.Abort"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var signals = new TerminationSignals();
        return await InvokeAsync(args, new CliEnvironment { Abort = signals.Aborting },
            new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Stopping);
    }
}
