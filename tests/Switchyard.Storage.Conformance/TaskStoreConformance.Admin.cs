using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>Administration of the store: purge of old finished tasks and vacuum.</summary>
public abstract partial class TaskStoreConformance
{
    protected IStoreMaintenance Admin => MaintenanceOf(Store);

    /// <summary>The administration side of <paramref name="store"/> (the same object in the embedded store).</summary>
    protected abstract IStoreMaintenance MaintenanceOf(ITaskStore store);

    [Fact]
    public async Task PurgeFinished_OldFinishedTasks_DeletedWithHistory_OthersKept()
    {
        await EnqueueAsync(Spec("done"), Spec("broken"), Spec("stopped"));
        await CompleteAsync(await ClaimOneAsync());
        await FailAsync(await ClaimOneAsync(), FatalError);
        await CancelAsync("stopped");
        await EnqueueAsync(Spec("busy"));
        await ClaimOneAsync();
        await EnqueueAsync(Spec("waiting"));
        Time.Advance(TimeSpan.FromHours(1));
        await EnqueueAsync(Spec("recent") with { Priority = 9 });
        await CompleteAsync(await ClaimOneAsync());

        var purged = await PurgeFinishedAsync(Time.GetUtcNow().AddMinutes(-30));

        Assert.Equal(3, purged);
        foreach (var gone in new[] { "done", "broken", "stopped" })
        {
            Assert.Null(await GetAsync(gone));
            Assert.Null(await HistoryAsync(gone));
        }

        Assert.Equal((TaskState.Queued, TaskState.Running, TaskState.Completed),
            (await StateOfAsync("waiting"), await StateOfAsync("busy"), await StateOfAsync("recent")));
        Assert.Equal((1L, 0L, 0L, 1L, 1L), (await CountAsync(TaskState.Completed), await CountAsync(TaskState.Failed),
            await CountAsync(TaskState.Cancelled), await CountAsync(TaskState.Queued), await CountAsync(TaskState.Running)));
    }

    [Fact]
    public async Task PurgeFinished_StateQueueAndMaxTasks_BoundWhatGoes()
    {
        await EnqueueAsync(Spec("a1"), Spec("a2"), Spec("a3"), Spec("b1") with { Queue = "other" });
        await CancelAsync("a1");
        await CancelAsync("a2");
        await CancelAsync("a3");
        await CancelAsync("b1");

        Assert.Equal(0, await PurgeFinishedAsync(Time.GetUtcNow(), [TaskState.Completed]));
        Assert.Equal(0, await PurgeFinishedAsync(Time.GetUtcNow(), [TaskState.Queued]));
        Assert.Equal(2, await PurgeFinishedAsync(Time.GetUtcNow(), [TaskState.Cancelled], TaskDefaults.Queue, maxTasks: 2));
        Assert.Equal(1, await PurgeFinishedAsync(Time.GetUtcNow(), [], TaskDefaults.Queue));
        Assert.NotNull(await GetAsync("b1"));
        Assert.Equal(0, await CountAsync(TaskState.Cancelled));
        Assert.Equal(1, await CountAsync(TaskState.Cancelled, "other"));
    }

    [Fact]
    public async Task VacuumStore_AfterPurgingMuch_ShrinksAndKeepsWorking()
    {
        await SecludeAsync();
        var random = new Random(42);
        for (var batch = 0; batch < 4; batch++)
        {
            await EnqueueAsync(Enumerable.Range(0, 250).Select(i => Spec($"big-{batch}-{i}") with { Payload = new JsonText($"\"{Convert.ToHexString(random.GetItems<byte>(Bytes, 2_000))}\"") }).ToArray());
        }

        await EnqueueAsync(Spec("keeper"));
        for (var batch = 0; batch < 4; batch++)
        {
            foreach (var i in Enumerable.Range(0, 250))
            {
                await CancelAsync($"big-{batch}-{i}");
            }
        }

        Assert.Equal(1_000, await PurgeFinishedAsync(Time.GetUtcNow(), [], maxTasks: 5_000));
        await Bounded(AwaitOlderTransactionsAsync(Ct));
        var writes = Enumerable.Range(0, 20).Select(i => TryEnqueueAsync([Spec($"during-{i}")])).ToArray();

        var vacuum = await Bounded(Admin.VacuumStoreAsync(new VacuumRequest(), Ct));

        Assert.True(vacuum.BytesAfter < vacuum.BytesBefore / 2, $"{vacuum.BytesBefore} -> {vacuum.BytesAfter}");
        Assert.All(await Task.WhenAll(writes).WaitAsync(Bound, Ct), w => Assert.True(w.IsSuccess, w.Error?.Message));
        Assert.Equal("keeper", (await ClaimOneAsync()).Id);
        Assert.Equal(20, await CountAsync(TaskState.Queued));
        var light = await Bounded(Admin.VacuumStoreAsync(new VacuumRequest(Full: false), Ct));
        Assert.True(light.BytesAfter > 0);
    }

    /// <summary>Every byte value: payloads of random hex that neither store can compress away.</summary>
    private static readonly byte[] Bytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();

    protected Task<int> PurgeFinishedAsync(DateTimeOffset finishedBefore, IReadOnlyList<TaskState>? states = null, string? queue = null, int maxTasks = 1_000) =>
        Bounded(Admin.PurgeFinishedAsync(new PurgeFinishedRequest(finishedBefore, states ?? [], queue, maxTasks), Ct));
}
