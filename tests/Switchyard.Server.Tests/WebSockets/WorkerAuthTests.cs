using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Server.Security;

namespace Switchyard.Server.Tests.WebSockets;

/// <summary>With API keys on, a worker gives its key in the upgrade's headers or, when it cannot set headers, in hello.</summary>
public sealed class WorkerAuthTests
{
    private const string Key = "w0rker-key";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HelloKey_NoHeader_WelcomedAndGivenTasks()
    {
        await using var server = await StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { ApiKey = Key });
        var task = await server.SubmitAsync(new { type = "echo" });
        Assert.Equal(task.Id, (await worker.ReceiveAsync<TaskMessage>()).Task.Id);
    }

    [Fact]
    public void HelloKey_MessageWritten_KeyNotShown()
    {
        var hello = new HelloMessage { Name = "browser", Queues = ["default"], ApiKey = Key }.ToString();

        Assert.DoesNotContain(Key, hello, StringComparison.Ordinal);
        Assert.Contains("Name = browser, Queues = [default]", hello, StringComparison.Ordinal);
        Assert.Contains("ApiKey = given", hello, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task HelloKey_MissingOrWrong_RefusedAndClosedBeforeRegistering(string? key)
    {
        await using var server = await StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        await using var worker = await TestWorker.OpenAsync(server);
        await worker.SendAsync(new HelloMessage { ApiKey = key });

        var refused = await worker.ReceiveAsync<ErrorMessage>();
        Assert.Equal("unauthorized", refused.Code);
        Assert.DoesNotContain("wrong-key", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await worker.ReceiveCloseAsync());
        Assert.Equal("queued", (await server.GetAsync(task.Id)).State);
        var workers = await server.Http.GetFromJsonAsync("/api/v1/workers", ContractsJsonContext.Default.WorkerListResponse, Ct);
        Assert.Empty(workers!.Workers);
    }

    [Fact]
    public async Task HeaderKey_Valid_NoKeyInHelloNeeded()
    {
        await using var server = await StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage(), o => o.SetRequestHeader("X-Api-Key", Key));
        Assert.False(string.IsNullOrEmpty(worker.Welcome.WorkerId));
    }

    [Fact]
    public async Task HeaderKey_Wrong_UpgradeRefusedWith401()
    {
        await using var server = await StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", "Bearer wrong-key");
        var uri = new UriBuilder(server.Http.BaseAddress!) { Scheme = "ws", Path = "/ws/v1/worker" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task NoKey_PlainRequestToTheWorkerRoute_Unauthorized()
    {
        await using var server = await StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };
        await ProblemAssert.IsProblem(await anonymous.GetAsync("/ws/v1/worker", Ct), HttpStatusCode.Unauthorized, "unauthorized");
    }

    /// <summary>A server with one key; its <see cref="TestServer.Http"/> sends it.</summary>
    private static async Task<TestServer> StartAsync()
    {
        var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Security:ApiKeys:workers"] = ApiKeys.Hash(Key) });
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return server;
    }
}
