using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Server.Hosting;

namespace Switchyard.Worker.Tests;

/// <summary>
/// A real server on a free loopback port with its own data folder (removed when disposed), which can be
/// restarted on the same port and data, and a client of it.
/// </summary>
public sealed class WorkerServer : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private RunningServer? _running;

    private WorkerServer(string dataDirectory, Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        DataDirectory = dataDirectory;
        _settings = settings;
        _services = services;
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public SwitchyardClient Client { get; private set; } = null!;

    public IServiceProvider Services => _running?.Services ?? throw new InvalidOperationException("The server is stopped.");

    public static async Task<WorkerServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var data = Directory.CreateTempSubdirectory("switchyard-worker-test-").FullName;
        var all = new Dictionary<string, string?>
        {
            ["Server:Port"] = "0",
            ["Server:DataDirectory"] = data,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var server = new WorkerServer(data, all, services);
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (as a shutdown would), keeping its data.</summary>
    public async Task StopAsync()
    {
        if (_running is { } running)
        {
            _running = null;
            await running.DisposeAsync();
        }
    }

    /// <summary>Starts a new server on the same port and data directory.</summary>
    public async Task StartAgainAsync()
    {
        var app = SwitchyardServer.Build(_settings, _services);
        try
        {
            _running = await SwitchyardServer.StartAsync(app, TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        BaseAddress = _running.BaseAddress;
        _settings["Server:Port"] = BaseAddress.Port.ToString(CultureInfo.InvariantCulture);
        Client?.Dispose();
        Client = new SwitchyardClient(BaseAddress);
    }

    public async Task<TaskDto> SubmitAsync(string type, string payload = "{}", Func<SubmitTaskRequest, SubmitTaskRequest>? change = null)
    {
        var request = new SubmitTaskRequest { Type = type, Payload = Core.Model.JsonText.Parse(payload) };
        return (await Client.SubmitAsync(change?.Invoke(request) ?? request, cancellationToken: TestContext.Current.CancellationToken)).Task;
    }

    /// <summary>Waits (long-polling the server) until the task settles; fails the test after <paramref name="seconds"/>.</summary>
    public async Task<TaskDto> WaitSettledAsync(string id, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = TimeSpan.FromSeconds(seconds) - clock.Elapsed;
            Assert.True(left > TimeSpan.Zero, $"task {id} did not settle within {seconds} s");
            var task = await Client.GetAsync(id, left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            if (task.State is "completed" or "failed" or "cancelled" or "review")
            {
                return task;
            }
        }
    }

    /// <summary>Waits (long-polling) until the task is neither queued nor running: settled, or scheduled for a retry.</summary>
    public async Task<TaskDto> WaitPastRunningAsync(string id, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"task {id} was still queued or running after {seconds} s");
            var task = await Client.GetAsync(id, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            if (task.State is not ("queued" or "running"))
            {
                return task;
            }
        }
    }

    /// <summary>The connected push workers (<c>GET /api/v1/workers</c>).</summary>
    public async Task<IReadOnlyList<WorkerDto>> WorkersAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var list = await http.GetFromJsonAsync("api/v1/workers", ContractsJsonContext.Default.WorkerListResponse, TestContext.Current.CancellationToken);
        return list!.Workers;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not a test failure.
        }
    }
}
