using Switchyard.Core.Model;

namespace Switchyard.Worker.Tests;

public sealed class CancellationTests : WorkerTest
{
    [Fact]
    public async Task CancelViaRest_FiresHandlerToken()
    {
        var (worker, running, cancelled) = Waiter();
        await StartAsync(worker);
        var task = await Server.SubmitAsync("wait");
        await running.Task.WaitAsync(Bound, Ct);

        await Client.CancelAsync(task.Id, "no longer needed", Ct);

        await cancelled.Task.WaitAsync(Bound, Ct);
        Assert.Equal("cancelled", (await Server.WaitSettledAsync(task.Id)).State);
    }

    [Fact]
    public async Task ServerTimeoutWhileRunning_CancelsHandler()
    {
        var (worker, running, cancelled) = Waiter();
        await StartAsync(worker);
        var task = await Server.SubmitAsync("wait", change: r => r with { TimeoutMs = 1000 });
        await running.Task.WaitAsync(Bound, Ct);

        await cancelled.Task.WaitAsync(Bound, Ct);

        var done = await Server.WaitSettledAsync(task.Id);
        Assert.Equal("failed", done.State);
    }

    [Fact]
    public async Task CancelledTask_FreesItsCreditForTheNextTask()
    {
        var (worker, running, cancelled) = Waiter();
        await StartAsync(worker);
        var first = await Server.SubmitAsync("wait");
        await running.Task.WaitAsync(Bound, Ct);
        var second = await Server.SubmitAsync("wait", """{"quick":true}""");

        await Client.CancelAsync(first.Id, cancellationToken: Ct);

        await cancelled.Task.WaitAsync(Bound, Ct);
        Assert.Equal("completed", (await Server.WaitSettledAsync(second.Id)).State);
    }

    /// <summary>A worker whose "wait" tasks run until cancelled (or at once with payload quick).</summary>
    private (SwitchyardWorker Worker, TaskCompletionSource Running, TaskCompletionSource Cancelled) Waiter()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = NewWorker().Handle("wait", async (ctx, ct) =>
        {
            if (ctx.Payload.Raw.Contains("quick", StringComparison.Ordinal))
            {
                return JsonText.Null;
            }

            running.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                cancelled.TrySetResult();
                throw;
            }

            return JsonText.Null;
        });
        return (worker, running, cancelled);
    }
}
