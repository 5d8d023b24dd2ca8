using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Switchyard.Server.Tests;

/// <summary>
/// The real <c>switchyard serve</c> in its own process on a free loopback port, so a test can kill it
/// with SIGKILL and start it again on the same data. Stops (killed) when disposed.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;
    private bool _disposed;

    private ServerProcess(Process process, Uri baseAddress, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _process = process;
        BaseAddress = baseAddress;
        _output = output;
    }

    public Uri BaseAddress { get; }

    /// <summary>The last <paramref name="lines"/> lines the server wrote (stdout and stderr), for a failing test's message.</summary>
    public string OutputTail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    public static async Task<ServerProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken, params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "switchyard.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var port = extraArgs.Contains("--port") ? [] : new[] { "--port", "0" }; // a free port unless the caller names one
        foreach (var arg in new[] { dll, "serve", "--data", dataDirectory }.Concat(port).Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start switchyard");
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                // Standard output ended; the reason may still be on its way on standard error (the two are read apart).
                _ = Task.Run(() =>
                {
                    try
                    {
                        if (process.WaitForExit(30_000))
                        {
                            process.WaitForExit(); // returns once both redirected streams are read to their end
                        }
                    }
                    catch (InvalidOperationException)
                    {
                        // Disposed meanwhile: the start already failed some other way.
                    }

                    address.TrySetException(new InvalidOperationException("switchyard exited before listening:\n" + string.Join('\n', output)));
                });
                return;
            }

            Keep(output, e.Data);
            if (Listening().Match(e.Data) is { Success: true } match)
            {
                address.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Keep(output, e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new ServerProcess(process, await address.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken), output);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>A loopback port free at the moment of asking (for a server a test starts on a port of its choosing).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>SIGTERM, as a service manager stops it: the server shuts down cleanly; waits until it has exited.</summary>
    public async Task StopAsync()
    {
        using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _disposed = true;
        _process.Dispose();
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string line)
    {
        output.Enqueue(line);
        while (output.Count > 500 && output.TryDequeue(out _))
        {
        }
    }

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex Listening();
}
