using System.Net;
using System.Text.Json;
using Switchyard.Server.Tests.Dispatcher;

namespace Switchyard.Server.Tests.OpenAi;

/// <summary>A dispatcher-dialect worker (<c>/ws?group=</c>) answers <c>/v1/chat/completions</c> for the model that is its group.</summary>
public sealed class DialectWorkerChatTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plain_DialectWorkerOfTheModel_ResultWrappedIntoAChatCompletion()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await DialectWorker.ConnectAsync(server.Http.BaseAddress!, "gpt-test");
        var answering = ChatHttp.SendAsync(server, """{"model":"gpt-test","messages":[{"role":"user","content":"Hi"}],"temperature":0.5}""");

        var (taskId, payload) = await worker.ReceiveTaskAsync();
        AssertPayload(payload);
        Assert.Equal(0.5, payload.GetProperty("data").GetProperty("temperature").GetDouble());
        await worker.CompleteAsync(taskId, """{"content":"Hello!"}""");

        using var response = await answering.WaitAsync(Bound, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var completion = await ChatHttp.JsonAsync(response);
        Assert.Equal("chatcmpl-" + taskId, completion.GetProperty("id").GetString());
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("gpt-test", completion.GetProperty("model").GetString());
        var choice = completion.GetProperty("choices")[0];
        Assert.Equal("Hello!", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Stream_DialectWorkerOfTheModel_ResultStreamedAsChunksThenDone()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await DialectWorker.ConnectAsync(server.Http.BaseAddress!, "gpt-test");
        var answering = ChatHttp.SendAsync(server, """{"model":"gpt-test","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true);

        var (taskId, payload) = await worker.ReceiveTaskAsync();
        AssertPayload(payload);
        Assert.True(payload.GetProperty("data").GetProperty("stream").GetBoolean());
        await worker.CompleteAsync(taskId, "\"Hello!\""); // the dialect has no progress frame: the whole answer comes with the result

        using var response = await answering.WaitAsync(Bound, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(ChatHttp.IsEventStream(response));
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));
        var all = await events.RestAsync().WaitAsync(Bound, Ct);

        Assert.Equal(4, all.Count);
        var chunks = all.Take(3).Select(ChatHttp.Parse).ToArray();
        Assert.All(chunks, c => Assert.Equal("chatcmpl-" + taskId, c.GetProperty("id").GetString()));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", Delta(chunks[0]).GetProperty("role").GetString());
        Assert.Equal("Hello!", Delta(chunks[1]).GetProperty("content").GetString());
        Assert.Equal("stop", chunks[2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("[DONE]", all[3]);
    }

    /// <summary>The worker gets the dialect's payload: <c>{model, messages, data: {every other field}}</c>.</summary>
    private static void AssertPayload(JsonElement payload)
    {
        Assert.Equal(["model", "messages", "data"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal("gpt-test", payload.GetProperty("model").GetString());
        Assert.Equal("Hi", payload.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    private static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");
}
