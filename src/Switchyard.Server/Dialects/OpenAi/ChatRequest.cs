using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>
/// A <c>POST /v1/chat/completions</c> body, checked. Its task payload is <c>{"model", "messages", "data"}</c>
/// where <c>data</c> holds every other field of the request as sent (temperature, max_tokens, stream, tools, ...).
/// </summary>
internal sealed record ChatRequest(string Model, bool Stream, bool IncludeUsage, JsonText Payload)
{
    public static bool TryParse(JsonElement body, [NotNullWhen(true)] out ChatRequest? request, [NotNullWhen(false)] out OpenAiError? error)
    {
        request = null;
        error = Check(body);
        if (error is not null)
        {
            return false;
        }

        var model = body.GetProperty("model").GetString()!;
        var stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var includeUsage = body.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
        request = new ChatRequest(model, stream, includeUsage, new JsonText(JsonWriting.Write(w => WritePayload(w, body))));
        return true;
    }

    private static OpenAiError? Check(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return OpenAiError.InvalidJson;
        }

        if (!body.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString()!.Length == 0)
        {
            return OpenAiError.InvalidRequest("you must provide a model parameter (a string)", "model", "missing_required_parameter");
        }

        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return OpenAiError.InvalidRequest("you must provide a messages parameter (an array of messages)", "messages", "missing_required_parameter");
        }

        if (messages.GetArrayLength() == 0)
        {
            return OpenAiError.InvalidRequest("'messages' must contain at least one message", "messages", "empty_array");
        }

        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                return OpenAiError.InvalidRequest($"messages[{i}] must be an object with a string 'role'", $"messages[{i}]", "invalid_value");
            }

            i++;
        }

        if (body.TryGetProperty("stream", out var stream) && stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            return OpenAiError.InvalidRequest("'stream' must be a boolean", "stream", "invalid_type");
        }

        return null;
    }

    private static void WritePayload(Utf8JsonWriter writer, JsonElement body)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("model");
        body.GetProperty("model").WriteTo(writer);
        writer.WritePropertyName("messages");
        body.GetProperty("messages").WriteTo(writer);
        writer.WriteStartObject("data");
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals("model") || property.NameEquals("messages"))
            {
                continue;
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
