namespace Switchyard.Worker.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:7400", "ws://127.0.0.1:7400/ws/v1/worker")]
    [InlineData("https://yard.example/", "wss://yard.example/ws/v1/worker")]
    [InlineData("http://host:8080/switchyard/", "ws://host:8080/switchyard/ws/v1/worker")]
    [InlineData("ws://host:1/ws/v1/worker", "ws://host:1/ws/v1/worker")]
    public void SocketUri_FromServerAddress(string server, string socket) =>
        Assert.Equal(new Uri(socket), new SwitchyardWorkerOptions { Server = new Uri(server) }.SocketUri);

    [Theory]
    [InlineData(1, 500, 250, 500)]
    [InlineData(2, 1000, 500, 1000)]
    [InlineData(3, 2000, 1000, 2000)]
    [InlineData(10, 30_000, 15_000, 30_000)]
    [InlineData(1000, 30_000, 15_000, 30_000)]
    public void ReconnectBackoff_DoublesUpToMaxWithJitterInTheUpperHalf(int failures, double ceiling, double low, double high)
    {
        var min = TimeSpan.FromMilliseconds(500);
        var max = TimeSpan.FromSeconds(30);

        Assert.Equal(low, ReconnectBackoff.Delay(failures, min, max, 0).TotalMilliseconds, 3);
        Assert.Equal(high, ReconnectBackoff.Delay(failures, min, max, 1).TotalMilliseconds, 3);
        Assert.InRange(ReconnectBackoff.Delay(failures, min, max, 0.5).TotalMilliseconds, ceiling / 2, ceiling);
    }

    [Fact]
    public void Validate_CapacityOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SwitchyardWorker(new SwitchyardWorkerOptions { Server = new Uri("http://h"), Capacity = -1 }));

    [Fact]
    public async Task Start_NoHandler_Throws()
    {
        await using var worker = new SwitchyardWorker(new SwitchyardWorkerOptions { Server = new Uri("http://127.0.0.1:1") });

        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.StartAsync(TestContext.Current.CancellationToken));
    }
}
