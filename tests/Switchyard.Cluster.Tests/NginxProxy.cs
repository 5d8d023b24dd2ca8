using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Switchyard.Server.Tests;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// A real nginx on a free loopback port in front of some nodes, configured with the repository's own
/// <c>deploy/nginx/switchyard.conf</c> (its upstream's servers and its <c>listen</c> replaced, nothing else), in a
/// temporary prefix of its own. Stopped (killed) when disposed.
/// </summary>
internal sealed partial class NginxProxy : IAsyncDisposable
{
    private static readonly string[] Places = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx", "/usr/bin/nginx"];
    private readonly Process _process;
    private readonly string _prefix;
    private readonly StringBuilder _errors;

    private NginxProxy(Process process, string prefix, Uri baseAddress, StringBuilder errors)
    {
        _process = process;
        _prefix = prefix;
        _errors = errors;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What nginx wrote to its error log (stderr), for a failing test's message.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static async Task<NginxProxy> StartAsync(IEnumerable<Uri> nodes, CancellationToken cancellationToken)
    {
        var nginx = Places.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: ./test.sh installs it (apt-get install nginx-light).");
        var prefix = Directory.CreateTempSubdirectory("switchyard-nginx-").FullName;
        var port = ServerProcess.FreePort();
        var shipped = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "deploy", "nginx", "switchyard.conf"), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(prefix, "switchyard.conf"), Adapt(shipped, nodes, port), cancellationToken);
        var pidFile = Path.Combine(prefix, "nginx.pid");
        var main = $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            daemon off;
            pid {{pidFile}};
            error_log stderr warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/switchyard.conf;
            }
            """;
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), main, cancellationToken);

        var start = new ProcessStartInfo(nginx) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-e", "stderr" })
        {
            start.ArgumentList.Add(arg);
        }

        // nginx writes its pid file once its listening sockets are open: that file is the signal it is ready.
        using var watcher = new FileSystemWatcher(prefix, "nginx.pid") { EnableRaisingEvents = true };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, _) => ready.TrySetResult();
        var errors = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var proxy = new NginxProxy(process, prefix, new Uri($"http://127.0.0.1:{port}"), errors);
        try
        {
            if (!File.Exists(pidFile))
            {
                var exited = process.WaitForExitAsync(cancellationToken);
                await Task.WhenAny(ready.Task, exited).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                if (exited.IsCompleted)
                {
                    throw new InvalidOperationException($"nginx exited ({process.ExitCode}):\n{proxy.Errors}");
                }
            }

            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // nginx's workers may have made its temp folders as another user.
        }
    }

    /// <summary>The shipped file with the test's nodes as its upstream's servers and a loopback port to listen on.</summary>
    private static string Adapt(string shipped, IEnumerable<Uri> nodes, int port)
    {
        var servers = ServerLine().Matches(shipped);
        Assert.NotEmpty(servers); // the shipped upstream lists its example nodes
        var options = servers[0].Groups["options"].Value;
        var lines = string.Concat(nodes.Select(n => $"    server {n.Host}:{n.Port.ToString(CultureInfo.InvariantCulture)}{options};\n"));
        var adapted = ServerLine().Replace(shipped, "");
        adapted = adapted.Insert(adapted.IndexOf("    keepalive", StringComparison.Ordinal), lines);
        Assert.Matches(Listen(), adapted);
        return Listen().Replace(adapted, $"listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};");
    }

    [GeneratedRegex(@"^    server [0-9.]+:[0-9]+(?<options>[^;]*);\n", RegexOptions.Multiline)]
    private static partial Regex ServerLine();

    [GeneratedRegex(@"listen 80;")]
    private static partial Regex Listen();
}
