using System.Diagnostics;
using System.Globalization;
using Switchyard.Client.Contracts;
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

            // Told to stop by the server (switchyard workers terminate), a child ends cleanly: replaced, not a crash.
            mark = log.Count;
            var told = (await Server.WorkersAsync()).First(w => w.Name?.EndsWith("-1", StringComparison.Ordinal) == true);
            await Server.Client.TerminateWorkerAsync(told.Id, TimeSpan.FromSeconds(1), Ct);
            await log.WaitForAsync($@"worker 1 \(pid {restarted}\) ended \(code 0: the server told it to stop\); starting a replacement", mark).WaitAsync(Long, Ct);
            children.Add(Pid(await log.WaitForAsync(@"pool: started worker 1 \(pid (\d+)\)", mark).WaitAsync(Long, Ct)));

            await StopAsync(pool);

            Assert.Equal(0, pool.ExitCode);
            Assert.All(children, pid => Assert.False(FileSignal.IsAlive(pid), $"worker pid {pid} outlived the pool"));
        }
        finally
        {
            KillLeftovers(children.Append(pool.Id), log);
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

            children.Add(await ScaledToTwoAsync(log));
            await CancelStopAndCheckNoThirdAsync(pool, log, first, second);
        }
        finally
        {
            KillLeftovers(children.Append(pool.Id), log);
        }
    }

    [Fact]
    public async Task Pool_LeavesTasksOtherWorkersRunToThem()
    {
        // Another worker (another pool, another machine) runs three tasks of the pool's queue and type.
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outsider = NewWorker(o => o with { Name = "outsider", Capacity = 3 }).Handle(ShellExecHandler.TypeName, async (ctx, ct) =>
        {
            if (Interlocked.Increment(ref started) == 3)
            {
                allStarted.TrySetResult();
            }

            await release.Task.WaitAsync(Long, ct); // holds its task until the test ends
        });
        await StartAsync(outsider);
        for (var i = 0; i < 3; i++)
        {
            await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["true"]}""");
        }

        await allStarted.Task.WaitAsync(Long, Ct);

        var log = new LineLog();
        var children = new List<int>();
        var (pool, _) = Start(log, "--server", Server.BaseAddress.ToString(), "worker", "--handlers", "shell.exec", "--name", "pool-a",
            "--min", "1", "--max", "3", "--scale-per", "1", "--grace-seconds", "0");
        using var owned = pool;
        try
        {
            children.Add(Pid(await log.WaitForAsync(@"pool: started worker 1 \(pid (\d+)\)").WaitAsync(Long, Ct)));
            await log.WaitForAsync(@"\[pool-a-1\] Connected to").WaitAsync(Long, Ct);
            // Two tasks for the pool: its worker runs one and the other waits, so it needs a second worker, not more.
            var first = await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["sleep","30"]}""");
            var second = await Server.SubmitAsync(ShellExecHandler.TypeName, """{"argv":["sleep","30"]}""");

            // Counting the outsider's three running tasks would have made the first step 1 -> 3.
            children.Add(await ScaledToTwoAsync(log));
            await log.WaitForAsync(@"\[pool-a-2\] Connected to").WaitAsync(Long, Ct);
            var workers = await Client.ListWorkersAsync(Ct);
            Assert.Equal(["outsider", "pool-a-1", "pool-a-2"], workers.Select(w => w.Name).Order(StringComparer.Ordinal));
            await CancelStopAndCheckNoThirdAsync(pool, log, first, second);
        }
        finally
        {
            release.TrySetResult();
            KillLeftovers(children.Append(pool.Id), log);
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
            KillLeftovers(new[] { child, pool.Id }.Where(p => p > 0), log);
        }
    }

    /// <summary>Waits for the pool's first step, which must be 1 -> 2 for two tasks, and for its second worker; that worker's pid.</summary>
    private static async Task<int> ScaledToTwoAsync(LineLog log)
    {
        var scaled = await log.WaitForAsync(@"pool: scaling 1 -> (\d+) \((\d+) task\(s\)").WaitAsync(Long, Ct);
        Assert.Equal(("2", "2"), (scaled.Match.Groups[1].Value, scaled.Match.Groups[2].Value));
        return Pid(await log.WaitForAsync(@"pool: started worker 2 \(pid (\d+)\)").WaitAsync(Long, Ct));
    }

    /// <summary>Cancels the pool's tasks, stops it, and checks that it never started a third worker.</summary>
    private async Task CancelStopAndCheckNoThirdAsync(Process pool, LineLog log, params TaskDto[] tasks)
    {
        foreach (var task in tasks)
        {
            await Client.CancelAsync(task.Id, cancellationToken: Ct);
        }

        await StopAsync(pool);
        Assert.DoesNotContain(log.ToString().Split('\n'), line => line.Contains("started worker 3", StringComparison.Ordinal));
    }

    /// <summary>SIGTERM to the pool, which stops its children and exits.</summary>
    private static async Task StopAsync(Process pool)
    {
        Signal(pool.Id, "TERM");
        await pool.WaitForExitAsync(Ct).WaitAsync(Long, Ct);
    }

    /// <summary>Kills whichever of <paramref name="pids"/> a failed test left running, and shows the log.</summary>
    private static void KillLeftovers(IEnumerable<int> pids, LineLog log)
    {
        foreach (var pid in pids.Where(FileSignal.IsAlive))
        {
            Signal(pid, "KILL");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(log.ToString());
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
