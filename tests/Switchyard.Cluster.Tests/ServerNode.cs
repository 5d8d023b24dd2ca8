using System.Net.Http.Json;
using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Server.Tests;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// A real <c>switchyard serve --store postgres</c> process on a loopback port, one node of a cluster on a shared schema,
/// with an HTTP client of it. Killed (SIGKILL) when disposed.
/// </summary>
internal sealed class ServerNode : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly string _data;

    private ServerNode(ServerProcess process, string data)
    {
        _process = process;
        _data = data;
        Http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress => _process.BaseAddress;

    public HttpClient Http { get; }

    /// <summary>The last lines the node wrote, for a failing test's message.</summary>
    public string OutputTail() => _process.OutputTail();

    /// <summary>Starts a node; <paramref name="settings"/> is written as its JSON settings file (<c>--config</c>).</summary>
    public static async Task<ServerNode> StartAsync(string connectionString, string schema, object settings, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("switchyard-node-").FullName;
        var config = Path.Combine(data, "settings.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings), cancellationToken);
        var process = await ServerProcess.StartAsync(data, cancellationToken,
            "--store", "postgres", "--postgres", connectionString, "--schema", schema, "--config", config);
        return new ServerNode(process, data);
    }

    /// <summary>Submits one batch; returns the ids in order.</summary>
    public async Task<IReadOnlyList<string>> SubmitBatchAsync(IEnumerable<object> tasks, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/tasks/batch", new { tasks }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.SubmitBatchResponse, cancellationToken);
        return body!.Tasks.Select(t => t.Id).ToArray();
    }

    /// <summary>Submits one task (<c>POST /api/v1/tasks</c>); returns its id once the node acknowledged it.</summary>
    public async Task<string> SubmitAsync(SubmitTaskRequest task, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/tasks", task, ContractsJsonContext.Default.SubmitTaskRequest, cancellationToken);
        response.EnsureSuccessStatusCode();
        var stored = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, cancellationToken);
        return stored!.Id;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM: the node shuts down cleanly.</summary>
    public Task StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
