using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Client.Contracts;
using Switchyard.Server.Hosting;

namespace Switchyard.Server.Tests;

/// <summary>A real server on a free loopback port with its own data folder, removed when disposed.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly RunningServer _server;

    private TestServer(RunningServer server, string dataDirectory)
    {
        _server = server;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _server.Services;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = ContractsJsonContext.Default,
    };

    /// <summary>Starts a server with <paramref name="settings"/> over the test defaults; <paramref name="services"/> may replace services (a clock, an environment).</summary>
    public static async Task<TestServer> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("switchyard-server-test-").FullName;
        var all = new Dictionary<string, string?>
        {
            ["Server:Port"] = "0",
            ["Server:DataDirectory"] = dataDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = SwitchyardServer.Build(all, services);
        var running = await SwitchyardServer.StartAsync(app, TestContext.Current.CancellationToken);
        return new TestServer(running, dataDirectory);
    }

    public async Task<TaskDto> SubmitAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/tasks", body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, TestContext.Current.CancellationToken))!;
    }

    public async Task<TaskDto> ClaimOneAsync(string worker = "w1", long waitMs = 0)
    {
        var claimed = await ClaimAsync(new ClaimTasksRequest { WorkerId = worker, WaitMs = waitMs });
        return Assert.Single(claimed.Tasks);
    }

    public async Task<ClaimTasksResponse> ClaimAsync(ClaimTasksRequest request)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/claims", request, ContractsJsonContext.Default.ClaimTasksRequest, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ClaimTasksResponse, TestContext.Current.CancellationToken))!;
    }

    public async Task<TaskDto> GetAsync(string id)
    {
        var task = await Http.GetFromJsonAsync($"/api/v1/tasks/{id}", ContractsJsonContext.Default.TaskDto, TestContext.Current.CancellationToken);
        return task!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
