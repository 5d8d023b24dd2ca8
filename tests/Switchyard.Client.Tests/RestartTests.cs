using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

/// <summary>A waiting submit rides over the server going away and coming back on the same address and data.</summary>
public sealed class RestartTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private readonly ServerHome _home = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Address => _home.Address;

    [Fact]
    public async Task SubmitAsync_WaitUntilSettled_FollowsTheTaskAcrossARestart()
    {
        using var client = new SwitchyardClient(Address);
        TaskDto claimed;
        Task<SubmitResult> waiting;
        await using (var first = await StartAsync())
        {
            using var worker = new SwitchyardClient(Address);
            waiting = client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, SubmitWait.UntilSettled, Ct);
            claimed = Assert.Single(await worker.ClaimAsync(new ClaimTasksRequest { WorkerId = "pull", WaitMs = 30_000 }, Ct));
        }

        // The stopping server answered the wait early with the running task; the client follows it while the server is away.
        Assert.False(waiting.IsCompleted);
        await using var second = await StartAsync();
        using (var worker = new SwitchyardClient(Address))
        {
            await worker.CompleteAsync(claimed.Id, claimed.Lease!.Token, JsonText.Parse("""{"done":true}"""), Ct);
        }

        var settled = await waiting.WaitAsync(Long, Ct);
        Assert.Equal((claimed.Id, "completed", """{"done":true}"""), (settled.Task.Id, settled.Task.State, settled.Task.Result?.Raw));
        Assert.True(settled.Created);
    }

    [Fact]
    public async Task SubmitAsync_ServerNotUpYet_SendsAgainAndStoresTheTaskOnce()
    {
        using var client = new SwitchyardClient(Address);
        var waiting = client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, SubmitWait.UntilSettled, Ct);

        await using var server = await StartAsync();
        using var worker = new SwitchyardClient(Address);
        var claimed = Assert.Single(await worker.ClaimAsync(new ClaimTasksRequest { WorkerId = "pull", WaitMs = 30_000 }, Ct));
        await worker.CompleteAsync(claimed.Id, claimed.Lease!.Token, JsonText.Parse("7"), Ct);

        var settled = await waiting.WaitAsync(Long, Ct);
        Assert.Equal((claimed.Id, "completed"), (settled.Task.Id, settled.Task.State));
        Assert.True(Guid.TryParse(settled.Task.Id, out var id) && id.Version == 7, $"the client makes a UUIDv7 id, got {settled.Task.Id}");
        Assert.Single((await worker.ListAsync(cancellationToken: Ct)).Tasks);
    }

    [Fact]
    public async Task SubmitAsync_ServerAwayLongerThanReconnectFor_GivesUpNamingTheTask()
    {
        using var client = new SwitchyardClient(Address) { ReconnectFor = TimeSpan.FromMilliseconds(300) };

        var ex = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.SubmitAsync(new SubmitTaskRequest { Id = "t-away", Type = "echo" }, SubmitWait.UntilSettled, Ct).WaitAsync(Long, Ct));

        Assert.Contains("task t-away may have been stored", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_ServerStopsAndStaysAway_GivesUpSayingTheTaskIsStored()
    {
        using var client = new SwitchyardClient(Address) { ReconnectFor = TimeSpan.FromMilliseconds(300) };
        Task<SubmitResult> waiting;
        await using (var server = await StartAsync())
        {
            using var worker = new SwitchyardClient(Address);
            waiting = client.SubmitAsync(new SubmitTaskRequest { Id = "t-stored", Type = "echo" }, SubmitWait.UntilSettled, Ct);
            Assert.Single(await worker.ClaimAsync(new ClaimTasksRequest { WorkerId = "pull", WaitMs = 30_000 }, Ct));
        }

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => waiting.WaitAsync(Long, Ct));
        Assert.Contains("task t-stored is stored; follow it with GET /api/v1/tasks/t-stored?wait=", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may have been stored", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_GivenIdAlreadyTaken_StillRefusedAsDuplicate()
    {
        await using var server = await StartAsync();
        using var client = new SwitchyardClient(Address);
        await client.SubmitAsync(new SubmitTaskRequest { Id = "taken", Type = "echo" }, cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(
            () => client.SubmitAsync(new SubmitTaskRequest { Id = "taken", Type = "echo" }, SubmitWait.UntilSettled, Ct));

        Assert.Equal("duplicate_id", ex.Code);
    }

    public void Dispose() => _home.Dispose();

    private Task<TestServer> StartAsync() => _home.StartAsync();
}
