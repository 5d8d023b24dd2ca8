using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Switchyard.Tests;

/// <summary>One address and data folder that a test starts servers on, one after another: a restart on the same data.</summary>
public sealed class ServerHome : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "switchyard-tests", Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort();

    public Uri Address => new($"http://127.0.0.1:{_port}");

    public Task<TestServer> StartAsync() => TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Server:Port"] = _port.ToString(CultureInfo.InvariantCulture),
        ["Server:DataDirectory"] = _data,
    });

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // No server was started.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
