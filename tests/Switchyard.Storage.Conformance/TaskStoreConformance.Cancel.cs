using Switchyard.Core.Model;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Theory]
    [InlineData(TaskState.Queued)]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Scheduled)]
    [InlineData(TaskState.Review)]
    public async Task Cancel_LiveTask_Cancelled(TaskState from)
    {
        await EnqueueAsync(Spec("c") with
        {
            DelayMs = from == TaskState.Scheduled ? 60_000 : null,
            Review = from == TaskState.Review ? ReviewMode.Required : null,
        });
        if (from is TaskState.Running or TaskState.Review)
        {
            var claimed = await ClaimOneAsync();
            if (from == TaskState.Review)
            {
                Assert.True((await CompleteAsync(claimed)).IsSuccess);
            }
        }

        Assert.Equal(from, await StateOfAsync("c"));
        Time.Advance(TimeSpan.FromSeconds(1));

        AssertApplied(await CancelAsync("c", "alice", "not needed"), from, TaskTrigger.Cancel, TaskState.Cancelled);

        var stored = await GetRequiredAsync("c");
        Assert.Equal(TaskState.Cancelled, stored.State);
        Assert.True(stored.CancelRequested);
        Assert.Equal(Time.GetUtcNow(), stored.FinishedAt);
        Assert.Equal(Time.GetUtcNow().AddMilliseconds(ResultTtlMs), stored.ResultExpiresAt);
        var row = (await HistoryAsync("c"))![^1];
        Assert.Equal(("cancelled", from, TaskState.Cancelled, "alice", "not needed"), (row.Event, row.From, row.To, row.Actor, row.Reason));
        Assert.Equal((0, 1), (await CountAsync(from), await CountAsync(TaskState.Cancelled)));
    }

    [Fact]
    public async Task Cancel_RunningTask_WorkerToldOnCompleteAndFail()
    {
        await EnqueueAsync(Spec("stop"));
        var claimed = await ClaimOneAsync();
        Assert.True((await CancelAsync("stop")).IsSuccess);

        AssertRefused(await CompleteAsync(claimed), ErrorCodes.TaskCancelled);
        AssertRefused(await FailAsync(claimed, RetryableError), ErrorCodes.TaskCancelled);
        Assert.Equal(TaskState.Cancelled, await StateOfAsync("stop"));
        Assert.Null((await GetRequiredAsync("stop")).Result);
    }

    [Fact]
    public async Task Cancel_RunningTask_NotExpiredBySweepLater()
    {
        await EnqueueAsync(Spec("stop"));
        await ClaimOneAsync();
        Assert.True((await CancelAsync("stop")).IsSuccess);
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs * 2));

        Assert.Empty(await ExpireLeasesAsync());
        Assert.Equal(TaskState.Cancelled, await StateOfAsync("stop"));
    }

    [Fact]
    public async Task Cancel_CompletedTask_IllegalTransitionAndUnchanged()
    {
        await EnqueueAsync(Spec("done"));
        Assert.True((await CompleteAsync(await ClaimOneAsync())).IsSuccess);

        AssertRefused(await CancelAsync("done"), ErrorCodes.IllegalTransition);

        Assert.Equal(TaskState.Completed, await StateOfAsync("done"));
        Assert.Equal(3, (await HistoryAsync("done"))!.Count);
    }

    [Fact]
    public async Task Cancel_Twice_SecondIsIllegalTransition()
    {
        await EnqueueAsync(Spec("twice"));
        Assert.True((await CancelAsync("twice")).IsSuccess);

        AssertRefused(await CancelAsync("twice"), ErrorCodes.IllegalTransition);
    }

    [Fact]
    public async Task Cancel_FailedTask_IllegalTransition()
    {
        await EnqueueAsync(Spec("broken"));
        Assert.True((await FailAsync(await ClaimOneAsync(), FatalError)).IsSuccess);

        AssertRefused(await CancelAsync("broken"), ErrorCodes.IllegalTransition);
    }

    [Fact]
    public async Task Cancel_UnknownTask_NotFound() => AssertRefused(await CancelAsync("nobody"), ErrorCodes.NotFound);
}
