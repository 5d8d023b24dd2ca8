using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchyard.Worker.Tests;

/// <summary>
/// A tiny OpenAI-compatible provider (<c>POST /v1/chat/completions</c>, plain and SSE streaming) plus a few plain
/// HTTP routes for <c>http.request</c>, on Kestrel at 127.0.0.1 on a free port. The model name picks a failure:
/// <c>overloaded</c> answers 429 with Retry-After 7, <c>broken</c> 500, <c>bad</c> 400, <c>locked</c> 401.
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeProvider(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the worker sent to the provider: its Authorization header and body.</summary>
    public ConcurrentQueue<(string? Authorization, JsonObject Body)> ChatRequests { get; } = new();

    /// <summary>A streamed answer waits here after its first content chunk.</summary>
    public TaskCompletionSource StreamGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var provider = new FakeProvider(app);
        app.MapPost("/v1/chat/completions", provider.ChatAsync);
        FakeHttpRoutes.Map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.BaseAddress = new Uri(address);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        StreamGate.TrySetResult();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted))!.AsObject();
        ChatRequests.Enqueue((http.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, body));
        var model = body["model"]!.GetValue<string>();
        switch (model)
        {
            case "overloaded":
                http.Response.Headers.RetryAfter = "7";
                await Error(http, 429, "slow down");
                return;
            case "broken":
                await Error(http, 500, "internal trouble");
                return;
            case "bad":
                await Error(http, 400, "messages must not be empty");
                return;
            case "locked":
                await Error(http, 401, "invalid api key");
                return;
        }

        var said = body["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
        if (body["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(http, model, said);
            return;
        }

        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1700000000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = $"echo: {said}" },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 3, ["completion_tokens"] = 2, ["total_tokens"] = 5 },
        }, http.RequestAborted);
    }

    private async Task StreamAsync(HttpContext http, string model, string said)
    {
        http.Response.ContentType = "text/event-stream";
        await Chunk(http, model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null);
        await Chunk(http, model, new JsonObject { ["content"] = "echo: " }, null);
        await StreamGate.Task.WaitAsync(http.RequestAborted);
        await Chunk(http, model, new JsonObject { ["content"] = said }, null);
        await Chunk(http, model, new JsonObject(), "stop");
        await Send(http, new JsonObject
        {
            ["id"] = "chatcmpl-2",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1700000000,
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 3, ["completion_tokens"] = 2, ["total_tokens"] = 5 },
        }.ToJsonString());
        await Send(http, "[DONE]");
    }

    private static Task Chunk(HttpContext http, string model, JsonObject delta, string? finish) => Send(http, new JsonObject
    {
        ["id"] = "chatcmpl-2",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1700000000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    }.ToJsonString());

    private static async Task Send(HttpContext http, string data)
    {
        await http.Response.WriteAsync($"data: {data}\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    private static async Task Error(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "test" } }, http.RequestAborted);
    }
}
