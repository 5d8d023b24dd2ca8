using System.Text.Json;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>
/// What a worker returned for a chat task: a full <c>chat.completion</c> (kept as sent, <see cref="Completion"/>), or
/// <c>{"content", "tool_calls"?, "finish_reason"?, "usage"?}</c>, or a bare JSON string (the content).
/// </summary>
internal sealed record ChatResult(JsonElement? Completion, IReadOnlyList<ChatChoice> Choices, JsonElement? Usage)
{
    public const string Stop = "stop";
    public const string ToolCallsReason = "tool_calls";

    /// <summary>Reads a task result; null when it has none of the accepted shapes.</summary>
    public static ChatResult? From(JsonText? result)
    {
        JsonElement root;
        try
        {
            root = (result ?? JsonText.Null).ToElement();
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind == JsonValueKind.String)
        {
            return new ChatResult(null, [new ChatChoice(0, root.GetString(), null, Stop)], null);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var usage = Property(root, "usage", JsonValueKind.Object);
        if (IsCompletion(root))
        {
            return new ChatResult(root, ChoicesOf(root), usage);
        }

        return root.TryGetProperty("content", out var content) && content.ValueKind is JsonValueKind.String or JsonValueKind.Null
            ? new ChatResult(null, [ChoiceOf(0, root)], usage)
            : null;
    }

    /// <summary>A <c>chat.completion</c>: says so in <c>object</c>, or has a <c>choices</c> array.</summary>
    public static bool IsCompletion(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
        && ((value.TryGetProperty("object", out var kind) && kind.ValueKind == JsonValueKind.String && kind.ValueEquals("chat.completion"))
            || Property(value, "choices", JsonValueKind.Array) is not null);

    private static ChatChoice[] ChoicesOf(JsonElement completion)
    {
        if (Property(completion, "choices", JsonValueKind.Array) is not { } choices)
        {
            return [];
        }

        var list = new List<ChatChoice>();
        foreach (var choice in choices.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
        {
            var index = Property(choice, "index", JsonValueKind.Number) is { } i && i.TryGetInt32(out var n) ? n : list.Count;
            var message = Property(choice, "message", JsonValueKind.Object) ?? default;
            var finish = Property(choice, "finish_reason", JsonValueKind.String)?.GetString();
            var parsed = message.ValueKind == JsonValueKind.Object ? ChoiceOf(index, message) : new ChatChoice(index, null, null, Stop);
            list.Add(parsed with { FinishReason = finish ?? parsed.FinishReason });
        }

        return [.. list];
    }

    /// <summary>A message-like object: <c>content</c>, <c>tool_calls</c>, <c>finish_reason</c>.</summary>
    private static ChatChoice ChoiceOf(int index, JsonElement message)
    {
        var content = Property(message, "content", JsonValueKind.String)?.GetString();
        var tools = Property(message, "tool_calls", JsonValueKind.Array);
        var finish = Property(message, "finish_reason", JsonValueKind.String)?.GetString()
            ?? (tools is { } t && t.GetArrayLength() > 0 ? ToolCallsReason : Stop);
        return new ChatChoice(index, content, tools, finish);
    }

    private static JsonElement? Property(JsonElement value, string name, JsonValueKind kind) =>
        value.TryGetProperty(name, out var found) && found.ValueKind == kind ? found : null;
}
