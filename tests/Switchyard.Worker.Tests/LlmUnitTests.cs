using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Worker.Handlers;

namespace Switchyard.Worker.Tests;

public sealed class LlmUnitTests
{
    [Fact]
    public void Options_FromEnvironment_ReadsUrlKeyAndModelMap()
    {
        var env = new Dictionary<string, string>
        {
            [LlmOptions.BaseUrlVariable] = "http://llm:8000/v1",
            [LlmOptions.ApiKeyVariable] = "k",
            [LlmOptions.ModelsVariable] = "fast=gpt-x, smart = gpt-y",
        };

        var options = LlmOptions.FromEnvironment(env.GetValueOrDefault);

        Assert.Equal(("http://llm:8000/v1", "k"), (options.BaseUrl, options.ApiKey));
        Assert.Equal(("gpt-x", "gpt-y", "other"), (options.MapModel("fast"), options.MapModel("smart"), options.MapModel("other")));
    }

    [Fact]
    public void Options_FromEnvironment_KeepsDefaultsWhenUnset()
    {
        var options = LlmOptions.FromEnvironment(_ => null, new LlmOptions { BaseUrl = "http://given/v1" });

        Assert.Equal("http://given/v1", options.BaseUrl);
    }

    [Fact]
    public async Task SseReader_JoinsDataLines_SkipsCommentsAndOtherFields()
    {
        var text = ": keep-alive\n\nevent: message\ndata: {\"a\":\ndata: 1}\n\ndata:[DONE]\n\ndata: tail";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var events = new List<string>();
        await foreach (var data in SseReader.ReadDataAsync(stream, TestContext.Current.CancellationToken))
        {
            events.Add(data);
        }

        Assert.Equal(["{\"a\":\n1}", "[DONE]", "tail"], events);
    }

    [Fact]
    public void Assembler_ToolCallsAndContentAcrossChunks()
    {
        var assembler = new ChatCompletionAssembler();
        string[] chunks =
        [
            """{"id":"c1","created":5,"model":"m","choices":[{"index":0,"delta":{"role":"assistant"}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get","arguments":"{\"ci"}}]}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":1}"}}]}}]}""",
            """{"id":"c1","choices":[{"index":1,"delta":{"role":"assistant","content":"B"}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"},{"index":1,"delta":{},"finish_reason":"stop"}]}""",
        ];
        foreach (var chunk in chunks)
        {
            assembler.Add(JsonNode.Parse(chunk)!.AsObject());
        }

        var completion = JsonNode.Parse(assembler.Build().Raw)!;

        Assert.Equal(("c1", 5, "m"), (completion["id"]!.GetValue<string>(), completion["created"]!.GetValue<int>(), completion["model"]!.GetValue<string>()));
        var first = completion["choices"]![0]!;
        Assert.Null(first["message"]!["content"]);
        var call = first["message"]!["tool_calls"]![0]!;
        Assert.Equal(("call_1", "get", "{\"city\":1}"), (call["id"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>(), call["function"]!["arguments"]!.GetValue<string>()));
        Assert.Equal("tool_calls", first["finish_reason"]!.GetValue<string>());
        Assert.Equal(("B", "stop"), (completion["choices"]![1]!["message"]!["content"]!.GetValue<string>(), completion["choices"]![1]!["finish_reason"]!.GetValue<string>()));
    }
}
