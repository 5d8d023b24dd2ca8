using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>OpenAI's response shapes: <c>chat.completion</c>, <c>chat.completion.chunk</c> and the model list.</summary>
internal static class ChatShapes
{
    public const string CompletionObject = "chat.completion";
    public const string ChunkObject = "chat.completion.chunk";

    /// <summary>A <c>chat.completion</c> made from a worker's <c>{"content": ...}</c> result.</summary>
    public static string Completion(ChatIdentity who, ChatResult result) => JsonWriting.Write(w =>
    {
        Head(w, who, CompletionObject);
        w.WriteStartArray("choices");
        foreach (var choice in result.Choices)
        {
            w.WriteStartObject();
            w.WriteNumber("index", choice.Index);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", choice.Content);
            if (choice.ToolCalls is { } tools)
            {
                w.WritePropertyName("tool_calls");
                tools.WriteTo(w);
            }

            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", choice.FinishReason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Usage(w, result.Usage);
        w.WriteEndObject();
    });

    /// <summary>A chunk whose one choice has <paramref name="delta"/> (written as the delta object's properties).</summary>
    public static string Chunk(ChatIdentity who, int index, Action<Utf8JsonWriter> delta, string? finishReason) => JsonWriting.Write(w =>
    {
        Head(w, who, ChunkObject);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>The last chunk when the client asked for <c>stream_options.include_usage</c>: no choices, the usage.</summary>
    public static string UsageChunk(ChatIdentity who, JsonElement usage) => JsonWriting.Write(w =>
    {
        Head(w, who, ChunkObject);
        w.WriteStartArray("choices");
        w.WriteEndArray();
        Usage(w, usage);
        w.WriteEndObject();
    });

    /// <summary>A worker's own chunk with this request's id, model and object name; <c>created</c> filled when missing.</summary>
    public static string Normalise(ChatIdentity who, JsonObject chunk)
    {
        chunk["id"] = who.Id;
        chunk["object"] = ChunkObject;
        chunk["model"] = who.Model;
        if (chunk["created"] is null)
        {
            chunk["created"] = who.Created;
        }

        return JsonWriting.Write(w => chunk.WriteTo(w));
    }

    /// <summary>Tool calls as a delta carries them: each with its <c>index</c>.</summary>
    public static void WriteIndexedToolCalls(Utf8JsonWriter writer, JsonElement toolCalls)
    {
        writer.WriteStartArray("tool_calls");
        var i = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            if (JsonNode.Parse(call.GetRawText()) is JsonObject node)
            {
                node["index"] ??= i;
                node.WriteTo(writer);
            }

            i++;
        }

        writer.WriteEndArray();
    }

    private static void Head(Utf8JsonWriter w, ChatIdentity who, string kind)
    {
        w.WriteStartObject();
        w.WriteString("id", who.Id);
        w.WriteString("object", kind);
        w.WriteNumber("created", who.Created);
        w.WriteString("model", who.Model);
    }

    private static void Usage(Utf8JsonWriter w, JsonElement? usage)
    {
        if (usage is { } value)
        {
            w.WritePropertyName("usage");
            value.WriteTo(w);
        }
    }
}
