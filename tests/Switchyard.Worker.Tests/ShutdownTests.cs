using System.Net.Http.Json;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Tests;

public sealed class ShutdownTests : WorkerTest
{
    [Fact]
    public async Task Stop_TaskFinishesWithinGrace_ItCompletesAndNoNewTaskIsTaken()
    {
        var (worker, running, release, _) = Gated();
        await StartAsync(worker);
        var first = await Server.SubmitAsync("gated");
        await running.Task.WaitAsync(Bound, Ct);

        await worker.QuietAsync(Ct).WaitAsync(Bound, Ct);
        var second = await Server.SubmitAsync("gated");
        var stopping = worker.StopAsync(TimeSpan.FromSeconds(30), Ct);
        release.SetResult();
        await stopping.WaitAsync(Bound, Ct);

        Assert.Equal("completed", (await Server.WaitSettledAsync(first.Id)).State);
        Assert.Equal("queued", (await Client.GetAsync(second.Id, cancellationToken: Ct)).State);
        Assert.True(worker.Completion.IsCompletedSuccessfully);
        Assert.Empty(await Server.WorkersAsync());
    }

    [Fact]
    public async Task Stop_GraceRunsOut_HandlerCancelledAndTaskReportedRetryable()
    {
        var (worker, running, _, cancelled) = Gated();
        await StartAsync(worker);
        var task = await Server.SubmitAsync("gated", change: r => r with { MaxAttempts = 3 });
        await running.Task.WaitAsync(Bound, Ct);

        await worker.StopAsync(TimeSpan.FromMilliseconds(200), Ct).WaitAsync(Bound, Ct);

        await cancelled.Task.WaitAsync(Bound, Ct);
        var after = await Client.GetAsync(task.Id, cancellationToken: Ct);
        Assert.True(after.State is "queued" or "scheduled", after.State);
        Assert.Equal((TaskRun.StoppedCode, "retryable"), (after.Error?.Code, after.Error?.Kind));
    }

    [Fact]
    public async Task Stop_AbortTokenFires_GraceCutShort()
    {
        var (worker, running, _, cancelled) = Gated();
        await StartAsync(worker);
        await Server.SubmitAsync("gated");
        await running.Task.WaitAsync(Bound, Ct);
        using var abort = new CancellationTokenSource();

        var stopping = worker.StopAsync(TimeSpan.FromHours(1), abort.Token);
        await abort.CancelAsync();

        await stopping.WaitAsync(Bound, Ct);
        await cancelled.Task.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task TerminateFromServer_WorkerFinishesAndStops()
    {
        var (worker, running, release, _) = Gated();
        var id = await StartAsync(worker);
        var task = await Server.SubmitAsync("gated");
        await running.Task.WaitAsync(Bound, Ct);

        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var terminated = await http.PostAsync($"api/v1/workers/{id}/terminate?graceMs=30000", null, Ct);
        terminated.EnsureSuccessStatusCode();
        release.SetResult();

        await worker.Completion.WaitAsync(Bound, Ct);
        Assert.Equal("completed", (await Server.WaitSettledAsync(task.Id)).State);
    }

    [Fact]
    public async Task TerminateFromServer_NoGrace_WorkerStopsRatherThanReconnecting()
    {
        // A grace of 0 closes the connection right behind the terminate frame. The server once dropped the connection
        // as it closed it, and a reset connection lost both frames: the worker saw a drop, reconnected, and never
        // stopped (under load, within a few rounds of this loop).
        for (var round = 0; round < 20; round++)
        {
            var worker = NewWorker().Handle("echo", (context, _) => Task.FromResult(context.Payload));
            var id = await StartAsync(worker);
            await Client.TerminateWorkerAsync(id, TimeSpan.Zero, Ct);
            try
            {
                await worker.Completion.WaitAsync(Bound, Ct);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"round {round}: worker {id} did not stop (connected now as {worker.WorkerId})");
            }
        }
    }

    [Fact]
    public async Task RunAsync_StoppingTokenFires_ReturnsAfterRunningTaskEnds()
    {
        var (worker, running, release, _) = Gated();
        using var stopping = new CancellationTokenSource();
        var run = worker.RunAsync(stopping.Token);
        await worker.WaitUntilConnectedAsync(Ct).WaitAsync(Bound, Ct);
        var task = await Server.SubmitAsync("gated");
        await running.Task.WaitAsync(Bound, Ct);

        await stopping.CancelAsync();
        Assert.False(run.IsCompleted);
        release.SetResult();

        await run.WaitAsync(Bound, Ct);
        Assert.Equal("completed", (await Server.WaitSettledAsync(task.Id)).State);
    }

    /// <summary>A worker whose "gated" tasks run until released (or cancelled).</summary>
    private (SwitchyardWorker Worker, TaskCompletionSource Running, TaskCompletionSource Release, TaskCompletionSource Cancelled) Gated()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = NewWorker().Handle("gated", async (ctx, ct) =>
        {
            running.TrySetResult();
            try
            {
                await release.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                cancelled.TrySetResult();
                throw;
            }

            return new JsonText("\"released\"");
        });
        return (worker, running, release, cancelled);
    }
}
