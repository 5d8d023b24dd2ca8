using Microsoft.AspNetCore.Builder;

namespace Switchyard.Server.Hosting;

/// <summary>A started server: its base address, and a dispose that stops it gracefully and closes the store.</summary>
public sealed class RunningServer(WebApplication app, Uri baseAddress) : IAsyncDisposable
{
    public Uri BaseAddress { get; } = baseAddress;

    public IServiceProvider Services => app.Services;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
