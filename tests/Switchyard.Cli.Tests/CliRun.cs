using System.CommandLine;
using Switchyard.Cli;

namespace Switchyard.Tests;

/// <summary>One in-process run of the <c>switchyard</c> command line: its exit code and what it wrote.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>
    /// Runs <paramref name="args"/> against <paramref name="server"/>; <paramref name="stdin"/> (when given) is redirected
    /// standard input. Environment variables come only from <paramref name="variables"/>.
    /// </summary>
    internal static async Task<CliRun> RunAsync(
        Uri? server,
        string[] args,
        string? stdin = null,
        TextWriter? error = null,
        IReadOnlyDictionary<string, string>? variables = null,
        CancellationToken? stopping = null)
    {
        using var output = new StringWriter();
        var errors = error ?? new StringWriter();
        var environment = new CliEnvironment
        {
            Input = new StringReader(stdin ?? string.Empty),
            IsInputRedirected = stdin is not null,
            GetVariable = name => variables?.GetValueOrDefault(name),
        };
        string[] line = server is null ? args : ["--server", server.ToString(), .. args];
        var exit = await CliApp.InvokeAsync(line, environment,
            new InvocationConfiguration { Output = output, Error = errors, ProcessTerminationTimeout = null },
            stopping ?? TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), errors.ToString() ?? string.Empty);
    }
}
