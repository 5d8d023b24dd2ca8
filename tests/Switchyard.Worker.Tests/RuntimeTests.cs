using System.Text.Json.Nodes;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Tests;

public sealed class RuntimeTests : WorkerTest
{
    [Fact]
    public async Task Handler_ReturnsResult_TaskCompletesWithIt()
    {
        var worker = NewWorker().Handle("add", async (ctx, ct) =>
        {
            await Task.Yield();
            var payload = ctx.PayloadElement();
            return new JsonObject { ["sum"] = payload.GetProperty("a").GetInt32() + payload.GetProperty("b").GetInt32() };
        });
        await StartAsync(worker);

        var task = await Server.SubmitAsync("add", """{"a":2,"b":3}""");
        var done = await Server.WaitSettledAsync(task.Id);

        Assert.Equal("completed", done.State);
        Assert.Equal("""{"sum":5}""", done.Result?.Raw);
    }

    [Fact]
    public async Task Handler_WithoutResult_TaskCompletesWithNull()
    {
        var worker = NewWorker().Handle("noop", (ctx, ct) => Task.CompletedTask);
        await StartAsync(worker);

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync("noop")).Id);

        Assert.Equal("completed", done.State);
        Assert.True(done.Result is null || done.Result.Value.IsNull);
    }

    [Fact]
    public async Task ReportProgress_ReachesReadersAndTheTask()
    {
        var id = Guid.NewGuid().ToString("N");
        using var feed = Server.Services.GetService(typeof(ProgressFeed)) is ProgressFeed progress ? progress.Subscribe(id) : null;
        var worker = NewWorker().Handle("steps", async (ctx, ct) =>
        {
            await ctx.ReportProgressAsync(50, "halfway", JsonText.Parse("""{"step":1}"""), ct);
            return JsonText.Null;
        });
        await StartAsync(worker);

        await Server.SubmitAsync("steps", change: r => r with { Id = id });
        var live = await feed!.Reader.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct);
        var done = await Server.WaitSettledAsync(id);

        Assert.Equal((50.0, "halfway", """{"step":1}"""), (live.Percent, live.Message, live.Data?.Raw));
        Assert.Equal("completed", done.State);
        Assert.Equal(50, done.Progress?.Percent);
        Assert.Equal("halfway", done.Progress?.Message);
    }

    [Fact]
    public async Task Capacity_RunsThatManyTasksAtOnce()
    {
        var started = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var twoRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = NewWorker(o => o with { Capacity = 2 }).Handle("slow", async (ctx, ct) =>
        {
            started.Enqueue(ctx.TaskId);
            if (started.Count == 2)
            {
                twoRunning.TrySetResult();
            }

            await release.Task.WaitAsync(ct);
            return JsonText.Null;
        });
        await StartAsync(worker);

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Server.SubmitAsync("slow")).Id);
        }

        await twoRunning.Task.WaitAsync(Bound, Ct);
        var third = await Client.GetAsync(ids.Except(started).Single(), cancellationToken: Ct);
        Assert.Equal("queued", third.State);
        Assert.Equal(2, worker.RunningCount);

        release.SetResult();
        foreach (var id in ids)
        {
            Assert.Equal("completed", (await Server.WaitSettledAsync(id)).State);
        }
    }

    [Fact]
    public async Task TaskWithoutHandler_FailsFatalNoHandler()
    {
        var worker = NewWorker(o => o with { TakeAnyType = true }).Handle("known", (ctx, ct) => Task.CompletedTask);
        await StartAsync(worker);

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync("unknown", change: r => r with { MaxAttempts = 3 })).Id);

        Assert.Equal("failed", done.State);
        Assert.Equal(("no_handler", "fatal", 1), (done.Error?.Code, done.Error?.Kind, done.Attempt));
    }

    [Fact]
    public async Task Hello_ListsHandledTypes_OtherTypesAreLeftForOthers()
    {
        var worker = NewWorker().Handle("mine", (ctx, ct) => Task.CompletedTask);
        await StartAsync(worker);

        var other = await Server.SubmitAsync("theirs");
        var mine = await Server.SubmitAsync("mine");
        Assert.Equal("completed", (await Server.WaitSettledAsync(mine.Id)).State);

        Assert.Equal("queued", (await Client.GetAsync(other.Id, cancellationToken: Ct)).State);
        Assert.Equal(["mine"], Assert.Single(await Server.WorkersAsync()).Types);
    }

    [Fact]
    public async Task LongTask_HeartbeatsKeepItsLease()
    {
        var worker = NewWorker(o => o with { LeaseMs = 1000 }).Handle("long", async (ctx, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5), ct); // the work: longer than two leases
            return JsonText.Null;
        });
        await StartAsync(worker);

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync("long", change: r => r with { MaxAttempts = 1 })).Id);

        Assert.Equal("completed", done.State);
        Assert.Equal(1, done.Attempt);
    }
}
