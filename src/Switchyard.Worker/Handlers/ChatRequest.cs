using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// Builds the provider's request from an <c>llm.chat</c> payload <c>{model, messages, data}</c>: the fields of
/// <c>data</c> (temperature, max_tokens, stream, tools...) with <c>model</c> (mapped) and <c>messages</c> on top.
/// </summary>
internal static class ChatRequest
{
    public static (string Body, bool Stream) Build(JsonText payload, LlmOptions options)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(payload.Raw ?? "null") as JsonObject ?? throw Invalid("the payload must be an object {model, messages, data}");
        }
        catch (JsonException ex)
        {
            throw Invalid(ex.Message);
        }

        if (root.Select(p => p.Key).FirstOrDefault(k => k is not ("model" or "messages" or "data")) is { } unknown)
        {
            throw Invalid($"unknown field '{unknown}' (other request fields go in data)");
        }

        var model = root["model"] is JsonValue m && m.TryGetValue<string>(out var name) && name.Length > 0 ? name : throw Invalid("model must be a non-empty string");
        var messages = root["messages"] as JsonArray is { Count: > 0 } list ? list : throw Invalid("messages must be a non-empty array");
        var data = root["data"] switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            _ => throw Invalid("data must be an object of request fields"),
        };

        var body = new JsonObject();
        foreach (var (key, value) in data)
        {
            body[key] = value?.DeepClone();
        }

        body["model"] = options.MapModel(model);
        body["messages"] = messages.DeepClone();
        var stream = body["stream"] is JsonValue s && s.TryGetValue<bool>(out var on) && on;
        return (body.ToJsonString(), stream);
    }

    private static TaskFailedException Invalid(string message) => new("invalid_payload", $"llm.chat: {message}", ErrorKind.Fatal);
}
