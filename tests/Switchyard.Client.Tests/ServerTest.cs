using Switchyard.Client;

namespace Switchyard.Tests;

/// <summary>Gives each test its own server and a client of it.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    private TestServer? _server;
    private SwitchyardClient? _client;

    protected TestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    protected SwitchyardClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Extra server settings for this test class.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(Settings);
        _client = new SwitchyardClient(_server.BaseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
