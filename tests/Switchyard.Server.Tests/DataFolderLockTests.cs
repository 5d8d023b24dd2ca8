namespace Switchyard.Server.Tests;

/// <summary>
/// The real <c>switchyard serve</c>: one server per data folder, and a crashed one leaves the folder free; a start that
/// cannot listen says why in one line.
/// </summary>
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

    [Fact]
    public async Task Serve_PortTaken_SaysSoInOneLineWithoutAStack()
    {
        await using var first = await ServerProcess.StartAsync(_data, Ct);
        var port = first.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(Path.Combine(_data, "second"), Ct, "--port", port));

        Assert.Contains($"switchyard: Failed to bind to address http://127.0.0.1:{port}: address already in use.", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", refused.Message, StringComparison.Ordinal); // no stack frames, from the host's log or anywhere
        Assert.DoesNotContain("fail:", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port", "99999", "Server:Port must be a TCP port from 0 (any free one) to 65535, not 99999")]
    [InlineData("--host", "db.internal", "Server:Host must be an IP address of this machine")]
    public async Task Serve_ListenSettingInvalid_NamesTheSettingWithoutAStack(string option, string value, string expected)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(_data, Ct, option, value));

        Assert.Contains($"switchyard: {expected}", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", refused.Message, StringComparison.Ordinal);
    }
}
