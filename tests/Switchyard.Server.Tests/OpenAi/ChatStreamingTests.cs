using System.Net;
using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;
using Switchyard.Server.Tests.WebSockets;

namespace Switchyard.Server.Tests.OpenAi;

public sealed class ChatStreamingTests
{
    private const string Body = """{"model":"gpt-test","messages":[{"role":"user","content":"Say hello"}],"stream":true}""";

    [Fact]
    public async Task Stream_ProgressDeltas_EachChunkSentAsReportedThenFinishAndDone()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        var answering = ChatHttp.SendAsync(server, Body, stream: true);
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        Assert.True(ChatHttp.Parse(task.Payload.Raw).GetProperty("data").GetProperty("stream").GetBoolean());
        await Progress(worker, task, """{"delta":"Hel"}""");

        using var response = await answering;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(ChatHttp.IsEventStream(response));
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var first = ChatHttp.Parse((await events.NextAsync())!);
        AssertChunk(first, task.Id);
        Assert.Equal("assistant", Delta(first).GetProperty("role").GetString());
        Assert.Equal("Hel", Delta(first).GetProperty("content").GetString());

        await Progress(worker, task, """{"message":"not a chunk"}""");
        await Progress(worker, task, """{"delta":"lo"}""");
        await worker.SendAsync(new CompleteMessage(task.Id, task.Lease!.Token, new JsonText("""{"content":"Hello"}""")));
        var rest = await events.RestAsync();

        Assert.Equal(3, rest.Count);
        var second = ChatHttp.Parse(rest[0]);
        AssertChunk(second, task.Id);
        Assert.Equal("lo", Delta(second).GetProperty("content").GetString());
        Assert.False(Delta(second).TryGetProperty("role", out _));
        var finish = ChatHttp.Parse(rest[1]);
        AssertChunk(finish, task.Id);
        Assert.Equal("stop", finish.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Empty(Delta(finish).EnumerateObject());
        Assert.Equal("[DONE]", rest[2]);
    }

    [Fact]
    public async Task Stream_ProgressChunkObjects_PassedThroughWithIdAndModelNormalised()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        var answering = ChatHttp.SendAsync(server, Body, stream: true);
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        await Progress(worker, task,
            """{"id":"upstream-1","object":"chat.completion.chunk","created":1700000000,"model":"internal","system_fingerprint":"fp","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}""");
        await Progress(worker, task,
            """{"id":"upstream-1","object":"chat.completion.chunk","created":1700000000,"model":"internal","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}""");
        await worker.SendAsync(new CompleteMessage(task.Id, task.Lease!.Token, new JsonText("""{"content":"not streamed again"}""")));

        using var response = await answering;
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var all = await events.RestAsync();

        Assert.Equal(3, all.Count);
        var first = ChatHttp.Parse(all[0]);
        AssertChunk(first, task.Id);
        Assert.Equal(1700000000, first.GetProperty("created").GetInt64());
        Assert.Equal("fp", first.GetProperty("system_fingerprint").GetString());
        Assert.Equal("Hi", Delta(first).GetProperty("content").GetString());
        var last = ChatHttp.Parse(all[1]);
        AssertChunk(last, task.Id);
        Assert.Equal("length", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("[DONE]", all[2]);
    }

    [Fact]
    public async Task Stream_NoProgress_ResultStreamedAsRoleContentFinishAndUsageChunks()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        var answering = ChatHttp.SendAsync(server,
            """{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""", stream: true);
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        await worker.SendAsync(new CompleteMessage(task.Id, task.Lease!.Token, new JsonText(
            """{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Full answer"},"finish_reason":"stop"}],"usage":{"total_tokens":7}}""")));

        using var response = await answering;
        Assert.True(ChatHttp.IsEventStream(response));
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var all = await events.RestAsync();

        Assert.Equal(5, all.Count);
        var chunks = all.Take(4).Select(ChatHttp.Parse).ToArray();
        Assert.All(chunks, c => AssertChunk(c, task.Id));
        Assert.Equal("assistant", Delta(chunks[0]).GetProperty("role").GetString());
        Assert.Equal("Full answer", Delta(chunks[1]).GetProperty("content").GetString());
        Assert.Equal("stop", chunks[2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Empty(chunks[3].GetProperty("choices").EnumerateArray());
        Assert.Equal(7, chunks[3].GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal("[DONE]", all[4]);
    }

    [Fact]
    public async Task Stream_WorkerFailsMidStream_ErrorEventThenTheStreamEnds()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        var answering = ChatHttp.SendAsync(server, Body, stream: true);
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        await Progress(worker, task, """{"delta":"Hel"}""");
        await worker.SendAsync(new FailMessage(task.Id, task.Lease!.Token, new TaskErrorDto("crashed", "the model crashed", "fatal")));

        using var response = await answering;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var all = await events.RestAsync();

        Assert.Equal(2, all.Count);
        Assert.Equal("Hel", Delta(ChatHttp.Parse(all[0])).GetProperty("content").GetString());
        var error = ChatHttp.Parse(all[1]).GetProperty("error");
        Assert.Equal("the model crashed", error.GetProperty("message").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("crashed", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Stream_WorkerFailsBeforeAnyChunk_PlainErrorWithItsStatus()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        var answering = ChatHttp.SendAsync(server, Body, stream: true);
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        await worker.SendAsync(new FailMessage(task.Id, task.Lease!.Token, new TaskErrorDto("crashed", "the model crashed", "fatal")));

        using var response = await answering;
        var error = await ChatHttp.ErrorAsync(response, 500, "server_error", "crashed");
        Assert.Equal("the model crashed", error.GetProperty("message").GetString());
    }

    private static Task Progress(TestWorker worker, TaskDto task, string data) =>
        worker.SendAsync(new ProgressMessage(task.Id, task.Lease!.Token, Data: new JsonText(data)));

    private static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");

    private static void AssertChunk(JsonElement chunk, string taskId)
    {
        Assert.Equal("chatcmpl-" + taskId, chunk.GetProperty("id").GetString());
        Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
        Assert.Equal("gpt-test", chunk.GetProperty("model").GetString());
        Assert.True(chunk.GetProperty("created").GetInt64() > 1_600_000_000);
    }
}
