using Switchyard.Worker.Handlers;

namespace Switchyard.Cli.Worker;

/// <summary>
/// One task's command for <c>worker --exec</c>: <c>SHELL -c COMMAND</c> run by the runtime's <see cref="ShellCommand"/>
/// (own session and process group through <c>setsid</c>, so Ctrl+C at the worker's terminal does not reach it and
/// stopping it stops everything it started), with room for a whole result on stdout and a short stderr tail.
/// </summary>
internal sealed class ShellProcess : IDisposable
{
    private const int MaxOutputChars = 8 * 1024 * 1024;
    private const int ErrorTailLines = 20;
    private const int MaxErrorChars = 2000;

    private static readonly ShellExecOptions Limits = new() { MaxStdoutChars = MaxOutputChars, MaxStderrChars = MaxErrorChars };

    private readonly ShellCommand _command;

    private ShellProcess(ShellCommand command) => _command = command;

    public int Id => _command.Id;

    /// <summary>The exit code, once the command has exited (128 + N when signal N ended it).</summary>
    public int? ExitCode => _command.ExitCode;

    /// <summary>Whether stdout passed the size a result may have, and was cut.</summary>
    public bool OutputTruncated => _command.Stdout.Truncated;

    public static ShellProcess Start(string shell, string command, IReadOnlyDictionary<string, string> environment, TimeProvider time) =>
        new(ShellCommand.Start([shell, "-c", command], environment, null, Limits, time));

    /// <summary>Writes <paramref name="input"/> to the command's stdin and closes it; a command that does not read it is fine.</summary>
    public Task WriteInputAsync(string input) => _command.WriteInputAsync(input);

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _command.WaitForExitAsync(cancellationToken);

    /// <summary>After the command exited: ends what it left running in its group, then returns its stdout.</summary>
    public async Task<string> ReadOutputAsync(TimeSpan drainLimit)
    {
        await _command.DrainAsync(drainLimit);
        return _command.Stdout.ToString();
    }

    /// <summary>The last lines the command wrote to stderr.</summary>
    public string ErrorTail() => _command.Stderr.LastLines(ErrorTailLines);

    /// <summary>SIGTERM to the group, SIGKILL to whatever is left after <paramref name="killGrace"/>.</summary>
    public Task StopAsync(TimeSpan killGrace) => _command.StopAsync(killGrace);

    public void Dispose() => _command.Dispose();
}
