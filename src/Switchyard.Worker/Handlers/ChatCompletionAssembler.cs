using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// Folds the <c>chat.completion.chunk</c> objects of a streamed chat completion into the <c>chat.completion</c>
/// the same request would have answered without streaming: content, refusal and tool-call arguments concatenated
/// per choice, the last finish reason, and usage when the provider sent it.
/// </summary>
internal sealed class ChatCompletionAssembler
{
    private readonly SortedDictionary<int, Choice> _choices = [];
    private JsonNode? _id;
    private JsonNode? _created;
    private JsonNode? _model;
    private JsonNode? _fingerprint;
    private JsonNode? _usage;

    public void Add(JsonObject chunk)
    {
        _id ??= chunk["id"]?.DeepClone();
        _created ??= chunk["created"]?.DeepClone();
        _model ??= chunk["model"]?.DeepClone();
        _fingerprint ??= chunk["system_fingerprint"]?.DeepClone();
        if (chunk["usage"] is JsonObject usage)
        {
            _usage = usage.DeepClone();
        }

        foreach (var node in chunk["choices"] as JsonArray ?? [])
        {
            if (node is not JsonObject choice)
            {
                continue;
            }

            var index = Int(choice["index"]) ?? 0;
            if (!_choices.TryGetValue(index, out var into))
            {
                _choices[index] = into = new Choice();
            }

            into.Add(choice);
        }
    }

    public JsonText Build()
    {
        var completion = new JsonObject
        {
            ["id"] = _id?.DeepClone(),
            ["object"] = "chat.completion",
            ["created"] = _created?.DeepClone(),
            ["model"] = _model?.DeepClone(),
        };
        if (_fingerprint is not null)
        {
            completion["system_fingerprint"] = _fingerprint.DeepClone();
        }

        completion["choices"] = new JsonArray(_choices.Select(c => (JsonNode?)c.Value.Build(c.Key)).ToArray());
        if (_usage is not null)
        {
            completion["usage"] = _usage.DeepClone();
        }

        return new JsonText(completion.ToJsonString());
    }

    private static int? Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private sealed class Choice
    {
        private readonly StringBuilder _content = new();
        private readonly SortedDictionary<int, ToolCall> _toolCalls = [];
        private StringBuilder? _refusal;
        private string? _role;
        private bool _hasContent;
        private JsonNode? _finishReason;

        public void Add(JsonObject choice)
        {
            if (choice["finish_reason"] is { } finish)
            {
                _finishReason = finish.DeepClone();
            }

            if (choice["delta"] is not JsonObject delta)
            {
                return;
            }

            _role ??= Text(delta["role"]);
            if (Text(delta["content"]) is { } content)
            {
                _content.Append(content);
                _hasContent = true;
            }

            if (Text(delta["refusal"]) is { } refusal)
            {
                (_refusal ??= new StringBuilder()).Append(refusal);
            }

            foreach (var node in delta["tool_calls"] as JsonArray ?? [])
            {
                if (node is JsonObject call)
                {
                    var index = Int(call["index"]) ?? _toolCalls.Count;
                    if (!_toolCalls.TryGetValue(index, out var into))
                    {
                        _toolCalls[index] = into = new ToolCall();
                    }

                    into.Add(call);
                }
            }
        }

        public JsonObject Build(int index)
        {
            var message = new JsonObject
            {
                ["role"] = _role ?? "assistant",
                ["content"] = _hasContent || _toolCalls.Count == 0 ? _content.ToString() : null,
            };
            if (_refusal is not null)
            {
                message["refusal"] = _refusal.ToString();
            }

            if (_toolCalls.Count > 0)
            {
                message["tool_calls"] = new JsonArray(_toolCalls.Values.Select(t => (JsonNode?)t.Build()).ToArray());
            }

            return new JsonObject { ["index"] = index, ["message"] = message, ["finish_reason"] = _finishReason?.DeepClone() };
        }
    }

    private sealed class ToolCall
    {
        private readonly StringBuilder _arguments = new();
        private string? _id;
        private string? _type;
        private string? _name;

        public void Add(JsonObject call)
        {
            _id ??= Text(call["id"]);
            _type ??= Text(call["type"]);
            if (call["function"] is JsonObject function)
            {
                _name ??= Text(function["name"]);
                _arguments.Append(Text(function["arguments"]));
            }
        }

        public JsonObject Build() => new()
        {
            ["id"] = _id,
            ["type"] = _type ?? "function",
            ["function"] = new JsonObject { ["name"] = _name, ["arguments"] = _arguments.ToString() },
        };
    }
}
