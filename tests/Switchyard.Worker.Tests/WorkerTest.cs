using Microsoft.Extensions.DependencyInjection;
using Switchyard.Client;

namespace Switchyard.Worker.Tests;

/// <summary>Gives each test its own server; workers made with <see cref="NewWorker"/> are stopped when the test ends.</summary>
public abstract class WorkerTest : IAsyncLifetime
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly List<SwitchyardWorker> _workers = [];
    private readonly List<IAsyncDisposable> _resources = [];
    private readonly List<string> _directories = [];
    private WorkerServer? _server;

    protected WorkerServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    protected SwitchyardClient Client => Server.Client;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Extra server settings for this test class.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>Extra server services for this test class.</summary>
    protected virtual Action<IServiceCollection>? Services => null;

    public virtual async ValueTask InitializeAsync() => _server = await WorkerServer.StartAsync(Settings, Services);

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        foreach (var resource in _resources)
        {
            await resource.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A worker of this test's server that reconnects quickly; register handlers, then start it.</summary>
    protected SwitchyardWorker NewWorker(Func<SwitchyardWorkerOptions, SwitchyardWorkerOptions>? change = null)
    {
        var options = new SwitchyardWorkerOptions
        {
            Server = Server.BaseAddress,
            Name = "test",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        var worker = new SwitchyardWorker(change?.Invoke(options) ?? options, TestLog.Factory);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>A temp folder removed when the test ends.</summary>
    protected string TempDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("switchyard-worker-test-").FullName;
        _directories.Add(directory);
        return directory;
    }

    /// <summary>Disposes <paramref name="resource"/> when the test ends (before the server stops).</summary>
    protected T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Starts <paramref name="worker"/> and waits until the server has welcomed it.</summary>
    protected static async Task<string> StartAsync(SwitchyardWorker worker)
    {
        await worker.StartAsync(Ct);
        return await worker.WaitUntilConnectedAsync(Ct).WaitAsync(Bound, Ct);
    }
}
