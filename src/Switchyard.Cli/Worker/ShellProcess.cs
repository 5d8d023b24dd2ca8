using System.Diagnostics;
using System.Text;
using Switchyard.Worker.Handlers;

namespace Switchyard.Cli.Worker;

/// <summary>
/// One task's command: <c>/bin/sh -c COMMAND</c> in a session and process group of its own (through <c>setsid</c>),
/// so Ctrl+C at the worker's terminal does not reach it and stopping it stops everything it started.
/// Without <c>setsid</c> the process tree is killed instead.
/// </summary>
internal sealed class ShellProcess : IDisposable
{
    private const int MaxOutputChars = 8 * 1024 * 1024;
    private const int ErrorTailLines = 20;
    private const int MaxErrorChars = 2000;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;
    private readonly bool _ownGroup;
    private readonly OutputBuffer _stdout;
    private readonly OutputBuffer _stderr;
    private readonly TimeProvider _time;

    private ShellProcess(Process process, bool ownGroup, TimeProvider time)
    {
        _process = process;
        _ownGroup = ownGroup;
        _time = time;
        _stdout = OutputBuffer.Head(process.StandardOutput, MaxOutputChars);
        _stderr = OutputBuffer.Tail(process.StandardError, ErrorTailLines, MaxErrorChars);
    }

    public int Id => _process.Id;

    /// <summary>The exit code, once the command has exited (128 + N when signal N ended it).</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Whether stdout passed the size a result may have, and was cut.</summary>
    public bool OutputTruncated => _stdout.Truncated;

    public static ShellProcess Start(string shell, string command, IReadOnlyDictionary<string, string> environment, TimeProvider time)
    {
        var setsid = ProcessGroups.Setsid;
        var start = new ProcessStartInfo(setsid ?? shell)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add(shell);
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"'{shell}' did not start.");
        return new ShellProcess(process, setsid is not null, time);
    }

    /// <summary>Writes <paramref name="input"/> to the command's stdin and closes it; a command that does not read it is fine.</summary>
    public async Task WriteInputAsync(string input)
    {
        try
        {
            await _process.StandardInput.WriteAsync(input);
            await _process.StandardInput.FlushAsync();
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

    /// <summary>After the command exited: ends what it left running in its group, then returns its stdout.</summary>
    public async Task<string> ReadOutputAsync(TimeSpan drainLimit)
    {
        KillRest();
        await WaitQuietlyAsync(Task.WhenAll(_stdout.Completion, _stderr.Completion), drainLimit);
        return _stdout.ToString();
    }

    /// <summary>The last lines the command wrote to stderr.</summary>
    public string ErrorTail() => _stderr.LastLines();

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
