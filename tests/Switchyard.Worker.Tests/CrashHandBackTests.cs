using System.Globalization;
using Switchyard.Client;
using Switchyard.Core.Model;
using Switchyard.Server.Tests;

namespace Switchyard.Worker.Tests;

/// <summary>
/// The server process dies (kill -9) while a push worker runs a task: nothing hands the task back then. When the
/// worker reconnects to the restarted server it reports the task it stopped, and the server hands it back at once
/// instead of when its lease runs out.
/// </summary>
public sealed class CrashHandBackTests : WorkerTest
{
    [Fact]
    public async Task ServerKilled_WorkerReportsTheTaskItStopped_HandedBackAtOnceAndRunsAgain()
    {
        var data = TempDirectory();
        var port = ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var first = Own(await ServerProcess.StartAsync(data, Ct, "--port", port));
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = NewWorker(o => o with { Server = first.BaseAddress, LeaseMs = 600_000 }).Handle("agent.run", async (ctx, ct) =>
        {
            if (ctx.Attempt == 1)
            {
                running.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct); // a long job, stopped only by the lost connection
            }

            return new JsonText($"{ctx.Attempt}");
        });
        var before = await StartAsync(worker);
        string taskId;
        using (var client = new SwitchyardClient(first.BaseAddress))
        {
            taskId = (await client.SubmitAsync(new() { Type = "agent.run" }, cancellationToken: Ct)).Task.Id;
        }

        await running.Task.WaitAsync(Bound, Ct);
        await first.KillAsync();
        var second = Own(await ServerProcess.StartAsync(data, Ct, "--port", port));
        using var again = new SwitchyardClient(second.BaseAddress);

        // The lease (10 minutes) is far beyond this wait: only the worker's report can bring the task back in time.
        var done = await again.WaitSettledAsync(taskId, Bound, Ct);
        Assert.Equal(("completed", 2, "2"), (done.State, done.Attempt, done.Result?.Raw));
        var history = await again.HistoryAsync(taskId, Ct);
        var handedBack = Assert.Single(history, h => h.Reason?.Contains("Worker disconnected", StringComparison.Ordinal) == true);
        Assert.NotEqual(before, handedBack.Actor); // reported by the worker's new connection, not the dead server
        Assert.DoesNotContain(history, h => h.Event == "lease_expired");
    }
}
