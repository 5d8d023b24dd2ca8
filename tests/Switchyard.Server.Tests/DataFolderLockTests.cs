namespace Switchyard.Server.Tests;

/// <summary>The real <c>switchyard serve</c>: one server per data folder, and a crashed one leaves the folder free.</summary>
public sealed class DataFolderLockTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("switchyard-lock-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Serve_SecondServerOnTheSameFolder_RefusedUntilTheFirstIsKilled()
    {
        await using var first = await ServerProcess.StartAsync(_data, Ct);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(_data, Ct));
        Assert.Contains("is in use by another process", refused.Message, StringComparison.Ordinal);
        Assert.Contains("switchyard.db.lock", refused.Message, StringComparison.Ordinal);

        await first.KillAsync(); // SIGKILL: no shutdown code releases anything
        await using var second = await ServerProcess.StartAsync(_data, Ct);
        using var http = new HttpClient { BaseAddress = second.BaseAddress };
        (await http.GetAsync("/readyz", Ct)).EnsureSuccessStatusCode().Dispose();
    }
}
