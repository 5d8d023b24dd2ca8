using Switchyard.Server.Hosting;

namespace Switchyard.Tests;

/// <summary>A real server on a free loopback port with its own SQLite file in a temp folder; disposing stops it and deletes the folder.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly RunningServer _running;

    private TestServer(string dataDirectory, RunningServer running)
    {
        _dataDirectory = dataDirectory;
        _running = running;
    }

    public Uri BaseAddress => _running.BaseAddress;

    public static async Task<TestServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "switchyard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var overrides = new Dictionary<string, string?>
        {
            ["Server:Port"] = "0",
            ["Server:DataDirectory"] = data,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        var app = SwitchyardServer.Build(overrides);
        try
        {
            return new TestServer(data, await SwitchyardServer.StartAsync(app, TestContext.Current.CancellationToken));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _running.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not a test failure.
        }
    }
}
