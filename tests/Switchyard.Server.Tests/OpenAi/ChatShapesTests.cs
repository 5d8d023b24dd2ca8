using Switchyard.Core.Model;
using Switchyard.Server.Dialects.OpenAi;

namespace Switchyard.Server.Tests.OpenAi;

/// <summary>Pins the OpenAI shapes Switchyard writes itself: a change here must be deliberate.</summary>
public sealed class ChatShapesTests
{
    private static readonly ChatIdentity Who = new("chatcmpl-t1", 1_800_000_000, "gpt-test");

    [Fact]
    public void Completion_ContentResult_MatchesOpenAiShape()
    {
        var result = ChatResult.From(new JsonText("""{"content":"Hi","usage":{"total_tokens":2}}""")) ?? throw new InvalidOperationException();
        Assert.Equal(
            """{"id":"chatcmpl-t1","object":"chat.completion","created":1800000000,"model":"gpt-test","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"logprobs":null,"finish_reason":"stop"}],"usage":{"total_tokens":2}}""",
            ChatShapes.Completion(Who, result));
    }

    [Fact]
    public void Completion_ToolCallsResult_FinishReasonToolCalls()
    {
        var result = ChatResult.From(new JsonText("""{"content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}""")) ?? throw new InvalidOperationException();
        Assert.Equal(
            """{"id":"chatcmpl-t1","object":"chat.completion","created":1800000000,"model":"gpt-test","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},"logprobs":null,"finish_reason":"tool_calls"}]}""",
            ChatShapes.Completion(Who, result));
    }

    [Fact]
    public void Completion_NonAsciiContent_KeptAsIs()
    {
        var result = ChatResult.From(new JsonText(@"""h\u00e9llo <b> \u4f60\u597d""")) ?? throw new InvalidOperationException();
        Assert.Contains("\"content\":\"héllo <b> 你好\"", ChatShapes.Completion(Who, result), StringComparison.Ordinal);
    }

    [Fact]
    public void Chunk_TextDelta_MatchesOpenAiShape() =>
        Assert.Equal(
            """{"id":"chatcmpl-t1","object":"chat.completion.chunk","created":1800000000,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}""",
            ChatShapes.Chunk(Who, 0, w => w.WriteString("content", "Hi"), null));

    [Fact]
    public void Error_WorkerFailure_MatchesOpenAiShape()
    {
        var task = new TaskRecord
        {
            Id = "t1",
            Type = "llm.chat",
            State = TaskState.Failed,
            Error = new TaskError("oom", "out of memory", ErrorKind.Fatal),
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        var error = OpenAiError.From(task);
        Assert.Equal(500, error.Status);
        Assert.Equal("""{"error":{"message":"out of memory","type":"server_error","param":null,"code":"oom"}}""", error.ToJson());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("""{"text":"no content field"}""")]
    public void Result_UnknownShape_NotAChatResult(string raw) => Assert.Null(ChatResult.From(new JsonText(raw)));

    [Fact]
    public void Result_BareString_IsTheContent() =>
        Assert.Equal("plain", Assert.Single(ChatResult.From(new JsonText("\"plain\""))!.Choices).Content);
}
