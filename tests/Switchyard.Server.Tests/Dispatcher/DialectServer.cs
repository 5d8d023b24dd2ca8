using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Storage;
using Switchyard.Server.Dialects.Dispatcher;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>
/// A real server for dialect tests: the origin's variables come from <c>environment</c> (never the process's), and
/// <c>clock</c>, when given, is the server's clock, so deadlines and result lifetimes pass when a test says so.
/// </summary>
public sealed class DialectServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private DialectServer(TestServer server, FakeTimeProvider? clock)
    {
        Server = server;
        Clock = clock;
    }

    public TestServer Server { get; }

    public FakeTimeProvider? Clock { get; }

    public TaskBroker Broker => Server.Services.GetRequiredService<TaskBroker>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<DialectServer> StartAsync(
        IReadOnlyDictionary<string, string?>? environment = null,
        FakeTimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var variables = EnvironmentVariables.From(environment ?? new Dictionary<string, string?>());

        // Durability is not under test here: commits skip the fsync, which keeps these busy servers light on a shared disk.
        var all = new Dictionary<string, string?> { ["Sqlite:Durability"] = "Process" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var server = await TestServer.StartAsync(all, services =>
        {
            services.AddSingleton(variables);
            if (clock is not null)
            {
                // The engine's clock only: Kestrel takes the container's TimeProvider too, and would time out
                // connections when the fake clock jumps.
                services.AddSingleton(sp => new SqliteTaskStore(
                    sp.GetRequiredService<SqliteDatabase>(), clock, sp.GetRequiredService<ILogger<SqliteTaskStore>>()));
                services.AddSingleton<ITaskQueries>(sp => new SqliteTaskQueries(sp.GetRequiredService<SqliteDatabase>(), clock));
                services.AddSingleton(sp => new TaskBroker(
                    sp.GetRequiredService<ITaskStore>(),
                    sp.GetRequiredService<ITaskQueries>(),
                    sp.GetRequiredService<TaskEventHub>(),
                    sp.GetRequiredService<IOptions<EngineOptions>>(),
                    clock,
                    sp.GetRequiredService<ILogger<TaskBroker>>()));
            }
        });
        return new DialectServer(server, clock);
    }

    /// <summary>A server on a fake clock that starts at <see cref="Start"/>; deadline sweeps every 10 ms of that clock.</summary>
    public static Task<DialectServer> StartWithClockAsync(IReadOnlyDictionary<string, string?> environment, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Maintenance:DeadlineSweepMs"] = "10",
            ["Engine:DefaultLeaseMs"] = "3600000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return StartAsync(environment, new FakeTimeProvider(Start), all);
    }

    public Task<DialectWorker> ConnectAsync(string? group = null) => DialectWorker.ConnectAsync(Server.Http.BaseAddress!, group);

    public async Task<DialectAnswer> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Server.Http.PostAsync("/api/openai", content, Ct);
        return await DialectAnswer.ReadAsync(response);
    }

    public async Task<DialectAnswer> GetStatusAsync(string taskId)
    {
        using var response = await Server.Http.GetAsync("/api/task/" + taskId, Ct);
        return await DialectAnswer.ReadAsync(response);
    }

    /// <summary>The task as Switchyard's own API shows it.</summary>
    public Task<TaskDto> GetNativeAsync(string taskId) => Server.GetAsync(taskId);

    public async Task<IReadOnlyList<WorkerDto>> WorkersAsync() =>
        (await Server.Http.GetFromJsonAsync("/api/v1/workers", ContractsJsonContext.Default.WorkerListResponse, Ct))!.Workers;

    /// <summary>Moves the fake clock forward to <paramref name="at"/> (never back).</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        var clock = Clock ?? throw new InvalidOperationException("This server runs on the real clock.");
        var now = clock.GetUtcNow();
        if (at > now)
        {
            clock.Advance(at - now);
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>An HTTP answer of the dialect: its status code, its body as sent, and the body parsed.</summary>
public sealed record DialectAnswer(int Status, string Text, JsonElement Body)
{
    public string? TaskId => Body.TryGetProperty("taskId", out var id) ? id.GetString() : null;

    /// <summary>The dialect's <c>status</c> member (queued, executing, completed, failed), not the HTTP status.</summary>
    public string? State => Body.TryGetProperty("status", out var status) ? status.GetString() : null;

    public string? Error => Body.TryGetProperty("error", out var error) ? error.GetString() : null;

    public IEnumerable<string> Keys => Body.EnumerateObject().Select(p => p.Name);

    public static async Task<DialectAnswer> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        return new DialectAnswer((int)response.StatusCode, text, document.RootElement.Clone());
    }
}
