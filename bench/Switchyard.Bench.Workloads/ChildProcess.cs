using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// A process the bench started: its stdout lines can be awaited, the last lines of both streams are kept for error
/// messages, and disposing it kills it (by its own handle, with its children) if it has not exited.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int TailLines = 40;
    private const int GracefulStopMs = 5_000;
    private readonly Process _process;
    private readonly string _name;
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Queue<string> _tail = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Remember(line);
                _lines.Writer.TryWrite(line);
            }
            else
            {
                _lines.Writer.TryComplete();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Remember(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(ProcessStartInfo start, string name) =>
        new(Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start"), name);

    /// <summary>The next stdout line that <paramref name="match"/> accepts; throws when the process ends first or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(limit.Token))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{_name} did not answer within {timeout.TotalSeconds:0} s. {Tail()}");
        }

        throw new InvalidOperationException($"{_name} ended before it was ready. {Tail()}");
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes stdin and waits up to <paramref name="grace"/> for the process to exit on its own; true when it did.</summary>
    public async Task<bool> CloseInputAndWaitAsync(TimeSpan grace)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It has gone already.
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The last lines the process wrote, for an error message.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            return _tail.Count == 0 ? "(it wrote nothing)" : "Its last output:\n  " + string.Join("\n  ", _tail);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited && !OperatingSystem.IsWindows())
            {
                // SIGTERM first: the process shuts down as a user's would (and a runtime trace it writes is complete).
                using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
                term.WaitForExit();
                _process.WaitForExit(GracefulStopMs);
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _process.Dispose();
    }

    private void Remember(string line)
    {
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
