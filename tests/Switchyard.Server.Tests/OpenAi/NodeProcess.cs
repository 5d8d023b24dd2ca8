using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Switchyard.Server.Tests.OpenAi;

/// <summary>A <c>node</c> script run as a real process from tests/node, its output collected line by line.</summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _watches = [];
    private readonly Lock _gate = new();

    private NodeProcess(Process process) => _process = process;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The repository root: the nearest folder above the test's base directory that holds Switchyard.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Switchyard.slnx above {AppContext.BaseDirectory}.");
    }

    /// <summary>tests/node with its packages installed; fails the test (never skips) with what to do when something is missing.</summary>
    public static string RequireNodeFolder(params string[] packages)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "node");
        foreach (var package in packages)
        {
            Assert.True(File.Exists(Path.Combine(folder, "node_modules", package, "package.json")),
                $"tests/node/node_modules/{package} is missing: run ./test.sh (it installs Node.js and the packages), or 'npm ci' in tests/node.");
        }

        return folder;
    }

    public static NodeProcess Start(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data, node._stdout, watch: true);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data, node._stderr, watch: false);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            Assert.Fail($"Could not start 'node' ({ex.Message}): install Node.js 18+ (./test.sh does it with apt-get install nodejs npm).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Waits for a line of standard output that matches; fails with the output so far when the process ends or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var already = _stdout.ToString().Split('\n').FirstOrDefault(match);
            if (already is not null)
            {
                return already;
            }

            _watches.Add((match, seen));
        }

        var exited = _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(seen.Task, exited).WaitAsync(timeout, TestContext.Current.CancellationToken);
        Assert.True(first == seen.Task, $"node exited before printing the expected line.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return await seen.Task;
    }

    /// <summary>Waits for the process to end by itself; fails (after killing it) when it takes longer than <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"node did not finish within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        // The asynchronous readers may still hold the last lines; this overload waits for them to drain.
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private void OnLine(string? line, StringBuilder into, bool watch)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            into.Append(line).Append('\n');
            if (!watch)
            {
                return;
            }

            foreach (var (match, seen) in _watches.Where(w => w.Match(line)).ToArray())
            {
                _watches.RemoveAll(w => w.Seen == seen);
                seen.TrySetResult(line);
            }
        }
    }
}
