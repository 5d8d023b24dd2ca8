using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Core.Dispatch;
using Switchyard.Worker.Handlers;

namespace Switchyard.Worker.Tests;

public sealed class LlmChatTests : WorkerTest
{
    private FakeProvider _provider = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _provider = Own(await FakeProvider.StartAsync());
        var llm = new LlmOptions
        {
            BaseUrl = new Uri(_provider.BaseAddress, "/v1").ToString(),
            ApiKey = "sk-test",
            Models = new() { ["fast"] = "provider-fast-1" },
        };
        await StartAsync(NewWorker().HandleBuiltIn([LlmChatHandler.TypeName], llm));
    }

    [Fact]
    public async Task NotStreamed_CompletesWithProvidersChatCompletion()
    {
        var done = await RunAsync("""{"model":"fast","messages":[{"role":"user","content":"hi"}],"data":{"temperature":0.2,"max_tokens":5}}""");

        Assert.Equal("completed", done.State);
        var completion = JsonDocument.Parse(done.Result!.Value.Raw).RootElement;
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("echo: hi", completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var (auth, sent) = Assert.Single(_provider.ChatRequests);
        Assert.Equal("Bearer sk-test", auth);
        Assert.Equal("provider-fast-1", sent["model"]!.GetValue<string>());
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>());
        Assert.Equal(5, sent["max_tokens"]!.GetValue<int>());
        Assert.Null(sent["data"]);
    }

    [Fact]
    public async Task Streamed_ReportsEachChunkAsItArrives_CompletesWithAssembledCompletion()
    {
        var id = Guid.NewGuid().ToString("N");
        var feed = (ProgressFeed)Server.Services.GetService(typeof(ProgressFeed))!;
        using var progress = feed.Subscribe(id);
        await Server.SubmitAsync(LlmChatHandler.TypeName,
            """{"model":"m1","messages":[{"role":"user","content":"there"}],"data":{"stream":true}}""", r => r with { Id = id });

        var first = await progress.Reader.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct);
        var second = await progress.Reader.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct);
        Assert.Equal("running", (await Client.GetAsync(id, cancellationToken: Ct)).State); // the provider holds the rest back
        _provider.StreamGate.SetResult();
        var done = await Server.WaitSettledAsync(id);

        Assert.Equal("chat.completion.chunk", JsonNode.Parse(first.Data!.Value.Raw)!["object"]!.GetValue<string>());
        Assert.Equal("echo: ", JsonNode.Parse(second.Data!.Value.Raw)!["choices"]![0]!["delta"]!["content"]!.GetValue<string>());
        Assert.Equal("completed", done.State);
        var completion = JsonNode.Parse(done.Result!.Value.Raw)!;
        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        Assert.Equal("m1", completion["model"]!.GetValue<string>());
        var choice = completion["choices"]![0]!;
        Assert.Equal(("assistant", "echo: there", "stop"),
            (choice["message"]!["role"]!.GetValue<string>(), choice["message"]!["content"]!.GetValue<string>(), choice["finish_reason"]!.GetValue<string>()));
        Assert.Equal(5, completion["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.True(Assert.Single(_provider.ChatRequests).Body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RateLimited_RetryableAfterProvidersRetryAfter()
    {
        var task = await Server.SubmitAsync(LlmChatHandler.TypeName, """{"model":"overloaded","messages":[{"role":"user","content":"x"}]}""",
            r => r with { MaxAttempts = 2, Retry = new("fixed", 0) });

        var failed = await Server.WaitPastRunningAsync(task.Id);

        Assert.Equal(("scheduled", "http_429", "retryable"), (failed.State, failed.Error?.Code, failed.Error?.Kind));
        Assert.Contains("slow down", failed.Error!.Message, StringComparison.Ordinal);
        Assert.True(failed.RunAt > failed.UpdatedAt.AddSeconds(5), $"runAt {failed.RunAt} should follow Retry-After 7 s");
    }

    [Theory]
    [InlineData("broken", "http_500", "retryable", 2)]
    [InlineData("bad", "http_400", "fatal", 1)]
    [InlineData("locked", "http_401", "user_actionable", 1)]
    public async Task ProviderRefuses_Classified(string model, string code, string kind, int attempts)
    {
        var done = await RunAsync($$"""{"model":"{{model}}","messages":[{"role":"user","content":"x"}]}""", maxAttempts: 2);

        Assert.Equal(("failed", code, kind, attempts), (done.State, done.Error?.Code, done.Error?.Kind, done.Attempt));
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":"m","messages":[]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":1}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"data":[1]}""")]
    public async Task BadPayload_Fatal(string payload)
    {
        var done = await RunAsync(payload, maxAttempts: 3);

        Assert.Equal(("failed", 1, "invalid_payload"), (done.State, done.Attempt, done.Error?.Code));
        Assert.Empty(_provider.ChatRequests);
    }

    private async Task<Client.Contracts.TaskDto> RunAsync(string payload, int maxAttempts = 1) =>
        await Server.WaitSettledAsync((await Server.SubmitAsync(LlmChatHandler.TypeName, payload,
            r => r with { MaxAttempts = maxAttempts, Retry = new("fixed", 0) })).Id);
}
