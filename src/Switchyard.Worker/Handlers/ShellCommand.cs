using System.Diagnostics;
using System.Text;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// One running command of <c>shell.exec</c>, in a session and process group of its own (through <c>setsid</c>), so
/// stopping it stops everything it started; without <c>setsid</c> its process tree is killed instead.
/// </summary>
internal sealed class ShellCommand : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Process _process;
    private readonly bool _ownGroup;
    private readonly TimeProvider _time;

    private ShellCommand(Process process, bool ownGroup, ShellExecOptions options, TimeProvider time)
    {
        _process = process;
        _ownGroup = ownGroup;
        _time = time;
        Stdout = CappedOutput.Head(process.StandardOutput, options.MaxStdoutChars);
        Stderr = CappedOutput.Tail(process.StandardError, options.MaxStderrChars);
    }

    public int Id => _process.Id;

    public CappedOutput Stdout { get; }

    public CappedOutput Stderr { get; }

    /// <summary>The exit code once exited (128 + N when signal N ended it).</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static ShellCommand Start(
        IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment, string? workingDirectory, ShellExecOptions options, TimeProvider time)
    {
        var setsid = ProcessGroups.Setsid;
        var start = new ProcessStartInfo(setsid ?? argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (var arg in setsid is null ? argv.Skip(1) : argv)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        if (!string.IsNullOrEmpty(workingDirectory))
        {
            start.WorkingDirectory = workingDirectory;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"'{argv[0]}' did not start.");
        return new ShellCommand(process, setsid is not null, options, time);
    }

    /// <summary>Writes <paramref name="input"/> (if any) to stdin and closes it; a command that does not read it is fine.</summary>
    public async Task WriteInputAsync(string? input)
    {
        try
        {
            if (!string.IsNullOrEmpty(input))
            {
                await _process.StandardInput.WriteAsync(input);
                await _process.StandardInput.FlushAsync();
            }
        }
        catch (IOException)
        {
            // The command exited or closed its stdin without reading it all.
        }
        finally
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>After the command exited: ends what it left running in its group and waits (briefly) for its output.</summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        KillRest();
        await WaitQuietlyAsync(Task.WhenAll(Stdout.Completion, Stderr.Completion), limit);
    }

    /// <summary>SIGTERM to the group, SIGKILL to whatever is left after <paramref name="killGrace"/>.</summary>
    public async Task StopAsync(TimeSpan killGrace)
    {
        if (_ownGroup)
        {
            ProcessGroups.Signal(_process.Id, ProcessGroups.SigTerm);
            await WaitQuietlyAsync(_process.WaitForExitAsync(), killGrace);
        }

        KillRest();
        await WaitQuietlyAsync(_process.WaitForExitAsync(), killGrace);
    }

    public void Dispose() => _process.Dispose();

    private void KillRest()
    {
        if (_ownGroup)
        {
            ProcessGroups.Signal(_process.Id, ProcessGroups.SigKill);
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task WaitQuietlyAsync(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit, _time);
        }
        catch (TimeoutException)
        {
        }
    }
}
