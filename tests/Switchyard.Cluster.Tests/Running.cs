using Microsoft.Extensions.Hosting;

namespace Switchyard.Cluster.Tests;

/// <summary>A background service a test started; disposing it stops and disposes it.</summary>
internal sealed class Running<T>(T service) : IAsyncDisposable
    where T : BackgroundService
{
    public T Service => service;

    public static async Task<Running<T>> StartAsync(T service, CancellationToken cancellationToken)
    {
        await service.StartAsync(cancellationToken);
        return new Running<T>(service);
    }

    public async ValueTask DisposeAsync()
    {
        await service.StopAsync(CancellationToken.None);
        service.Dispose();
    }
}
