using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Tests;

public sealed class ReconnectTests : WorkerTest
{
    /// <summary>A server that gives connections one second to finish when it stops, so a held task is cut off quickly.</summary>
    protected override Action<IServiceCollection>? Services => s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));

    [Fact]
    public async Task ServerRestartsOnSameData_WorkerReconnectsAndTakesTasksAgain()
    {
        var worker = NewWorker().Handle("job", async (ctx, ct) => await Task.FromResult(new JsonText($"{ctx.Attempt}")));
        var first = await StartAsync(worker);
        Assert.Equal("completed", (await Server.WaitSettledAsync((await Server.SubmitAsync("job")).Id)).State);

        await Server.StopAsync();
        await Server.StartAgainAsync();
        var second = await worker.WaitUntilConnectedAsync(Ct).WaitAsync(Bound, Ct);

        Assert.NotEqual(first, second);
        Assert.Equal("completed", (await Server.WaitSettledAsync((await Server.SubmitAsync("job")).Id)).State);
    }

    [Fact]
    public async Task ServerStopsWhileTaskRuns_WorkerReportsItBeforeTheConnectionCloses()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = NewWorker().Handle("job", async (ctx, ct) =>
        {
            running.TrySetResult();
            await release.Task.WaitAsync(ct);
            return new JsonText("\"done\"");
        });
        await StartAsync(worker);
        var task = await Server.SubmitAsync("job");
        await running.Task.WaitAsync(Bound, Ct);

        var stopping = Server.StopAsync();
        release.SetResult();
        await stopping.WaitAsync(Bound, Ct);
        await Server.StartAgainAsync();

        var done = await Server.WaitSettledAsync(task.Id);
        Assert.Equal("completed", done.State);
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task ConnectionDropsWhileTaskRuns_HandlerCancelledAndTaskRunsAgainAfterReconnect()
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = NewWorker().Handle("job", async (ctx, ct) =>
        {
            if (ctx.Attempt == 1)
            {
                running.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    lost.TrySetResult();
                    throw;
                }
            }

            return new JsonText($"{ctx.Attempt}");
        });
        await StartAsync(worker);
        var held = await Server.SubmitAsync("job", change: r => r with { LeaseMs = 1000, MaxAttempts = 3 });
        await running.Task.WaitAsync(Bound, Ct);

        await Server.StopAsync();
        await lost.Task.WaitAsync(Bound, Ct);
        await Server.StartAgainAsync();

        var retried = await Server.WaitSettledAsync(held.Id);
        Assert.Equal("completed", retried.State);
        Assert.Equal("2", retried.Result?.Raw);
    }
}
