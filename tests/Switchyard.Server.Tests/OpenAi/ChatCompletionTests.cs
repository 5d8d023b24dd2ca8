using System.Net;
using System.Text.Json;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;
using Switchyard.Server.Tests.WebSockets;

namespace Switchyard.Server.Tests.OpenAi;

public sealed class ChatCompletionTests
{
    private const string Messages = """[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hi"}]""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Completion_WorkerReturnsContent_WrappedIntoChatCompletion()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"], Capacity = 2 });
        var answering = ChatHttp.SendAsync(server,
            $$$"""{"model":"gpt-test","messages":{{{Messages}}},"temperature":0.2,"max_tokens":5,"tools":[{"type":"function","function":{"name":"f"}}]}""");

        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        Assert.Equal("llm.chat", task.Type);
        Assert.Equal("default", task.Queue);
        Assert.Equal("gpt-test", task.Group);
        Assert.Equal(
            $$$"""{"model":"gpt-test","messages":{{{Messages}}},"data":{"temperature":0.2,"max_tokens":5,"tools":[{"type":"function","function":{"name":"f"}}]}}""",
            task.Payload.Raw);
        await worker.SendAsync(new CompleteMessage(task.Id, task.Lease!.Token,
            new JsonText("""{"content":"Hi there","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""")));

        using var response = await answering;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var completion = await ChatHttp.JsonAsync(response);
        Assert.Equal("chatcmpl-" + task.Id, completion.GetProperty("id").GetString());
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("gpt-test", completion.GetProperty("model").GetString());
        Assert.True(completion.GetProperty("created").GetInt64() > 1_700_000_000);
        var choice = Assert.Single(completion.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Hi there", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(5, completion.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Completion_WorkerReturnsFullCompletion_PassedThroughAsIs()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        var answering = ChatHttp.SendAsync(server, $$$"""{"model":"gpt-test","messages":{{{Messages}}}}""");
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        Assert.Equal($$$"""{"model":"gpt-test","messages":{{{Messages}}},"data":{}}""", task.Payload.Raw);
        const string full = """
            {"id":"chatcmpl-upstream","object":"chat.completion","created":1700000001,"model":"gpt-test-2024",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2},"system_fingerprint":"fp_1"}
            """;
        await worker.SendAsync(new CompleteMessage(task.Id, task.Lease!.Token, JsonText.Parse(full)));

        using var response = await answering;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonElement.DeepEquals(ChatHttp.Parse(full), await ChatHttp.JsonAsync(response)));
    }

    [Fact]
    public async Task Completion_WorkerFails_500WithTheWorkersMessage()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        var answering = ChatHttp.SendAsync(server, $$$"""{"model":"gpt-test","messages":{{{Messages}}}}""");
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        await worker.SendAsync(new FailMessage(task.Id, task.Lease!.Token, new("model_overloaded", "GPU out of memory")));

        using var response = await answering;
        var error = await ChatHttp.ErrorAsync(response, 500, "server_error", "model_overloaded");
        Assert.Equal("GPU out of memory", error.GetProperty("message").GetString());
        Assert.Equal("failed", (await server.GetAsync(task.Id)).State);
    }

    [Fact]
    public async Task Completion_WorkerDisconnects_500WorkerDisconnected()
    {
        await using var server = await TestServer.StartAsync();
        var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        var answering = ChatHttp.SendAsync(server, $$$"""{"model":"gpt-test","messages":{{{Messages}}}}""");
        await worker.ReceiveAsync<TaskMessage>();
        worker.Abort();
        await worker.DisposeAsync();

        using var response = await answering;
        var error = await ChatHttp.ErrorAsync(response, 500, "server_error", "worker_disconnected");
        Assert.Equal("Worker disconnected", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Completion_DeadlinePasses_504TaskTimeoutAndWorkerToldToStop()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        using var request = ChatHttp.Post($$$"""{"model":"gpt-test","messages":{{{Messages}}}}""");
        request.Headers.Add("X-Switchyard-Timeout-Ms", "1000");
        var answering = server.Http.SendAsync(request, Ct);
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        Assert.Equal(1000, task.TimeoutMs);

        using var response = await answering;
        var error = await ChatHttp.ErrorAsync(response, 504, "server_error", "timeout");
        Assert.Equal("Task timeout", error.GetProperty("message").GetString());
        Assert.Equal(task.Id, (await worker.ReceiveAsync<CancelMessage>()).TaskId);
    }

    [Fact]
    public async Task Completion_ClientGoesAway_TaskCancelledAndWorkerTold()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        using var client = new HttpClient { BaseAddress = server.Http.BaseAddress };
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var answering = client.SendAsync(ChatHttp.Post($$$"""{"model":"gpt-test","messages":{{{Messages}}}}"""), gone.Token);
        var task = (await worker.ReceiveAsync<TaskMessage>()).Task;
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answering);

        Assert.Equal(task.Id, (await worker.ReceiveAsync<CancelMessage>()).TaskId);
        Assert.Equal("cancelled", (await server.GetAsync(task.Id)).State);
    }

    [Fact]
    public async Task Completion_NoWorkerServesTheModel_503AndNoTask()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["gpt-test"] });
        using var response = await ChatHttp.SendAsync(server, $$$"""{"model":"other-model","messages":{{{Messages}}}}""");

        var error = await ChatHttp.ErrorAsync(response, 503, "server_error", "model_not_available");
        Assert.Equal("model", error.GetProperty("param").GetString());
        var tasks = await ChatHttp.JsonAsync(await server.Http.GetAsync("/api/v1/tasks", Ct));
        Assert.Empty(tasks.GetProperty("tasks").EnumerateArray());
    }

    [Fact]
    public async Task Completion_ModelNameCannotBeAGroup_404ModelNotFound()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await ChatHttp.SendAsync(server, $$$"""{"model":"no spaces allowed","messages":{{{Messages}}}}""");
        await ChatHttp.ErrorAsync(response, 404, "invalid_request_error", "model_not_found");
    }

    [Theory]
    [InlineData("not json", null)]
    [InlineData("[]", null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"gpt-test"}""", "messages")]
    [InlineData("""{"model":"gpt-test","messages":[]}""", "messages")]
    [InlineData("""{"model":"gpt-test","messages":[{"content":"no role"}]}""", "messages[0]")]
    [InlineData("""{"model":"gpt-test","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream")]
    public async Task Completion_BadBody_400InvalidRequestNamingTheParam(string body, string? param)
    {
        await using var server = await TestServer.StartAsync();
        using var response = await ChatHttp.SendAsync(server, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ChatHttp.JsonAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Completion_BadTimeoutHeader_400()
    {
        await using var server = await TestServer.StartAsync();
        using var request = ChatHttp.Post($$$"""{"model":"gpt-test","messages":{{{Messages}}}}""");
        request.Headers.Add("X-Switchyard-Timeout-Ms", "soon");
        using var response = await server.Http.SendAsync(request, Ct);
        await ChatHttp.ErrorAsync(response, 400, "invalid_request_error", "invalid_timeout");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Completion_BodyOverLimit_413InOpenAisShapeHowEverItIsSent(bool chunked)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Server:MaxRequestBytes"] = "1024" });
        var body = $$$"""{"model":"gpt-test","messages":[{"role":"user","content":"{{{new string('x', 4096)}}}"}]}""";
        using var request = ChatHttp.Post(body);
        if (chunked)
        {
            request.Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await server.Http.SendAsync(request, Ct);

        var error = await ChatHttp.ErrorAsync(response, 413, "invalid_request_error", "payload_too_large");
        Assert.Contains("at most 1,024 bytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
