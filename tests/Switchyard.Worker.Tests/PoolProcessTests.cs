using System.Diagnostics;
using System.Globalization;
using Switchyard.Worker.Handlers;

namespace Switchyard.Worker.Tests;

/// <summary>The real <c>switchyard worker --min --max</c> pool, as processes.</summary>
public sealed class PoolProcessTests : WorkerTest
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pool_ScalesRunsTasksRestartsKilledChild_AndStopsAllOnSigterm()
    {
        var log = new LineLog();
        var children = new List<int>();
        var (pool, _) = Start(log, "--server", Server.BaseAddress.ToString(), "worker", "--handlers", "shell.exec",
            "--min", "1", "--max", "2", "--scale-per", "1", "--grace-seconds", "1");
        using var owned = pool;
        try
        {
            var first = Pid(await log.WaitForAsync(@"pool: started worker 1 \(pid (\d+)\)").WaitAsync(Long, Ct));
            children.Add(first);

            var tasks = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                tasks.Add((await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["sleep","1"]}""")).Id);
            }

            children.Add(Pid(await log.WaitForAsync(@"pool: started worker 2 \(pid (\d+)\)").WaitAsync(Long, Ct)));
            foreach (var id in tasks)
            {
                Assert.Equal("completed", (await Server.WaitSettledAsync(id, 60)).State);
            }

            var mark = log.Count;
            Signal(first, "KILL");
            await log.WaitForAsync($@"worker 1 \(pid {first}\) exited with code 137; restarting", mark).WaitAsync(Long, Ct);
            var restarted = Pid(await log.WaitForAsync(@"pool: started worker 1 \(pid (\d+)\)", mark).WaitAsync(Long, Ct));
            children.Add(restarted);
            Assert.NotEqual(first, restarted);
            await log.WaitForAsync("Connected to", mark).WaitAsync(Long, Ct);
            var after = await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["true"]}""");
            Assert.Equal("completed", (await Server.WaitSettledAsync(after.Id, 60)).State);

            Signal(pool.Id, "TERM");
            await pool.WaitForExitAsync(Ct).WaitAsync(Long, Ct);

            Assert.Equal(0, pool.ExitCode);
            Assert.All(children, pid => Assert.False(FileSignal.IsAlive(pid), $"worker pid {pid} outlived the pool"));
        }
        finally
        {
            foreach (var pid in children.Append(pool.Id).Where(FileSignal.IsAlive))
            {
                Signal(pid, "KILL");
            }

            TestContext.Current.TestOutputHelper?.WriteLine(log.ToString());
        }
    }

    [Fact]
    public async Task Pool_CountsOnlyTasksItsWorkersWouldTake()
    {
        var log = new LineLog();
        var children = new List<int>();
        var (pool, _) = Start(log, "--server", Server.BaseAddress.ToString(), "worker", "--handlers", "shell.exec", "--group", "gpu",
            "--min", "1", "--max", "3", "--scale-per", "1", "--grace-seconds", "0");
        using var owned = pool;
        try
        {
            children.Add(Pid(await log.WaitForAsync(@"pool: started worker 1 \(pid (\d+)\)").WaitAsync(Long, Ct)));
            // None of these reach the pool's workers: another type, another group, another queue.
            await Server.SubmitAsync("other.type", "{}");
            await Server.SubmitAsync("other.type", "{}");
            await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["true"]}""", r => r with { Group = "cpu" });
            await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["true"]}""", r => r with { Queue = "elsewhere" });
            // These do: one in the default group, one in the pool's own.
            var first = await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["sleep","30"]}""");
            var second = await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["sleep","30"]}""", r => r with { Group = "gpu" });

            var scaled = await log.WaitForAsync(@"pool: scaling 1 -> (\d+) \((\d+) task\(s\)").WaitAsync(Long, Ct);
            Assert.Equal(("2", "2"), (scaled.Match.Groups[1].Value, scaled.Match.Groups[2].Value));
            children.Add(Pid(await log.WaitForAsync(@"pool: started worker 2 \(pid (\d+)\)").WaitAsync(Long, Ct)));
            await Server.Client.CancelAsync(first.Id, cancellationToken: Ct);
            await Server.Client.CancelAsync(second.Id, cancellationToken: Ct);

            Signal(pool.Id, "TERM");
            await pool.WaitForExitAsync(Ct).WaitAsync(Long, Ct);
            Assert.DoesNotContain(log.ToString().Split('\n'), line => line.Contains("started worker 3", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var pid in children.Append(pool.Id).Where(FileSignal.IsAlive))
            {
                Signal(pid, "KILL");
            }

            TestContext.Current.TestOutputHelper?.WriteLine(log.ToString());
        }
    }

    [Fact]
    public async Task PoolKilled_ChildrenSeeTheirStdinEndAndStop()
    {
        var log = new LineLog();
        var (pool, outputClosed) = Start(log, "--server", Server.BaseAddress.ToString(), "worker", "--handlers", "shell.exec", "--min", "1", "--max", "1");
        using var owned = pool;
        var child = 0;
        try
        {
            child = Pid(await log.WaitForAsync(@"pool: started worker 1 \(pid (\d+)\)").WaitAsync(Long, Ct));
            await log.WaitForAsync("Connected to").WaitAsync(Long, Ct);

            Signal(pool.Id, "KILL");

            await outputClosed.WaitAsync(Long, Ct); // the child writes to the same pipes: they close when it has exited too
            await log.WaitForAsync(@"\] Stopped$").WaitAsync(Long, Ct);
        }
        finally
        {
            foreach (var pid in new[] { child, pool.Id }.Where(p => p > 0 && FileSignal.IsAlive(p)))
            {
                Signal(pid, "KILL");
            }

            TestContext.Current.TestOutputHelper?.WriteLine(log.ToString());
        }
    }

    private static int Pid((System.Text.RegularExpressions.Match Match, int Index) line) =>
        int.Parse(line.Match.Groups[1].Value, CultureInfo.InvariantCulture);

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Starts the executable; the task completes when its stdout and stderr have both closed (it and its children are gone).</summary>
    private static (Process Process, Task OutputClosed) Start(LineLog log, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "switchyard.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SWITCHYARD_SERVER");
        start.Environment.Remove("SWITCHYARD_API_KEY");
        var process = Process.Start(start)!;
        var stdoutClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Write(log, e.Data, stdoutClosed);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data, stderrClosed);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, Task.WhenAll(stdoutClosed.Task, stderrClosed.Task));
    }

    private static void Write(LineLog log, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        log.WriteLine(line);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
