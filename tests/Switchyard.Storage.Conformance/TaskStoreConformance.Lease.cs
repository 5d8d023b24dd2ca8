using Switchyard.Core.Model;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    [Fact]
    public async Task Heartbeat_RightToken_ExtendsLeaseFromNow()
    {
        await EnqueueAsync(Spec("hb"));
        var claimed = await ClaimOneAsync();
        Time.Advance(TimeSpan.FromSeconds(20));

        var lease = await HeartbeatAsync("hb", claimed.Lease!.Token);

        Assert.True(lease.IsSuccess, lease.Error?.Message);
        Assert.Equal(claimed.Lease with { ExpiresAt = Time.GetUtcNow().AddMilliseconds(LeaseMs) }, lease.Value);
        Assert.Equal(lease.Value, (await GetRequiredAsync("hb")).Lease);
    }

    [Fact]
    public async Task Heartbeat_WithLeaseLength_UsesIt()
    {
        await EnqueueAsync(Spec("hb"));
        var claimed = await ClaimOneAsync();

        var lease = await HeartbeatAsync("hb", claimed.Lease!.Token, leaseMs: 90_000);

        Assert.Equal(Time.GetUtcNow().AddSeconds(90), lease.Value!.ExpiresAt);
    }

    [Fact]
    public async Task Heartbeat_NamingNoLength_KeepsTheLengthTheClaimOrLastHeartbeatGave()
    {
        await EnqueueAsync(Spec("long"));
        var claimed = Assert.Single(await ClaimAsync(leaseMs: 600_000));
        Assert.Equal(600_000, claimed.Lease!.LengthMs);
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(Time.GetUtcNow().AddMinutes(10), (await HeartbeatAsync("long", claimed.Lease.Token)).Value!.ExpiresAt);
        await Sut.RestartAsync(Ct).WaitAsync(Bound, Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Time.GetUtcNow().AddMinutes(10), (await HeartbeatAsync("long", claimed.Lease.Token)).Value!.ExpiresAt);

        Assert.Equal(Time.GetUtcNow().AddSeconds(90), (await HeartbeatAsync("long", claimed.Lease.Token, leaseMs: 90_000)).Value!.ExpiresAt);
        Time.Advance(TimeSpan.FromSeconds(30));
        var again = await HeartbeatAsync("long", claimed.Lease.Token);

        Assert.Equal((Time.GetUtcNow().AddSeconds(90), 90_000L), (again.Value!.ExpiresAt, again.Value.LengthMs));
        Assert.Equal(again.Value, (await GetRequiredAsync("long")).Lease);
    }

    [Fact]
    public async Task Heartbeat_WithProgress_RecordsItAndKeepsItUntilReplaced()
    {
        await EnqueueAsync(Spec("hb"));
        var token = (await ClaimOneAsync()).Lease!.Token;
        var progress = new TaskProgress(42.5, "halfway", new JsonText("{\"step\":3}"));

        Assert.True((await HeartbeatAsync("hb", token, progress)).IsSuccess);
        Assert.Equal(progress, (await GetRequiredAsync("hb")).Progress);

        Assert.True((await HeartbeatAsync("hb", token)).IsSuccess);
        Assert.Equal(progress, (await GetRequiredAsync("hb")).Progress);
    }

    [Fact]
    public async Task Heartbeat_KeepsLeaseAlive_NotExpiredBySweep()
    {
        await EnqueueAsync(Spec("alive"));
        var token = (await ClaimOneAsync()).Lease!.Token;
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await HeartbeatAsync("alive", token)).IsSuccess);
        Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Empty(await ExpireLeasesAsync());
        Assert.Equal(TaskState.Running, await StateOfAsync("alive"));
    }

    [Fact]
    public async Task Heartbeat_StaleToken_RefusedAndNothingChanges()
    {
        await EnqueueAsync(Spec("hb"));
        var claimed = await ClaimOneAsync();
        var before = await GetRequiredAsync("hb");
        var historyBefore = (await HistoryAsync("hb"))!.Count;
        Time.Advance(TimeSpan.FromSeconds(5));

        AssertRefused(await HeartbeatAsync("hb", claimed.Lease!.Token + 1000, new TaskProgress(99, "forged", null)), ErrorCodes.StaleLease);

        var after = await GetRequiredAsync("hb");
        Assert.Equal(before with { Labels = after.Labels }, after);
        Assert.Equal(historyBefore, (await HistoryAsync("hb"))!.Count);
    }

    [Fact]
    public async Task Heartbeat_TaskCancelledWhileRunning_TaskCancelled()
    {
        await EnqueueAsync(Spec("hb"));
        var token = (await ClaimOneAsync()).Lease!.Token;
        AssertApplied(await CancelAsync("hb"), TaskState.Running, TaskTrigger.Cancel, TaskState.Cancelled);

        AssertRefused(await HeartbeatAsync("hb", token), ErrorCodes.TaskCancelled);
        Assert.Equal(TaskState.Cancelled, await StateOfAsync("hb"));
    }

    [Fact]
    public async Task Heartbeat_LeaseLapsedBeforeSweep_LeaseExpired()
    {
        await EnqueueAsync(Spec("hb"));
        var token = (await ClaimOneAsync()).Lease!.Token;
        Time.Advance(TimeSpan.FromMilliseconds(LeaseMs));

        AssertRefused(await HeartbeatAsync("hb", token), ErrorCodes.LeaseExpired);
    }

    [Fact]
    public async Task Heartbeat_UnknownTask_NotFound() =>
        AssertRefused(await HeartbeatAsync("nobody", 1), ErrorCodes.NotFound);

    [Fact]
    public async Task Heartbeat_QueuedTask_StaleLease()
    {
        await EnqueueAsync(Spec("waiting"));

        AssertRefused(await HeartbeatAsync("waiting", 1), ErrorCodes.StaleLease);
    }
}
