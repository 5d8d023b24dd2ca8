using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// A <c>POST /api/openai</c> body: <c>model?</c>, <c>messages?</c>, <c>data?</c>, <c>group?</c>, <c>timeout?</c>,
/// <c>async?</c>; other members are ignored. The worker gets <see cref="Payload"/> = <c>{model, messages, data}</c>,
/// with <c>model</c> "default" when absent and <c>messages</c>/<c>data</c> left out when absent (as the origin's
/// JSON did).
/// </summary>
internal sealed record DispatcherRequest(JsonText Payload, string Group, long? TimeoutMs, bool Async)
{
    public const string DataOrMessagesRequired = "Invalid request: data or messages required";
    public const string NotJson = "Invalid request: the body is not JSON";
    public const string DefaultModel = "default";

    public static async Task<Outcome<DispatcherRequest>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            return Parse(body.RootElement);
        }
        catch (JsonException)
        {
            return OperationError.Validation(NotJson);
        }
    }

    public static Outcome<DispatcherRequest> Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return OperationError.Validation(DataOrMessagesRequired);
        }

        var model = Member(body, "model");
        var messages = Member(body, "messages");
        var data = Member(body, "data");
        if (IsAbsent(messages) && IsAbsent(data))
        {
            return OperationError.Validation(DataOrMessagesRequired);
        }

        var group = Member(body, "group");
        if (!IsAbsent(group) && (group.ValueKind != JsonValueKind.String || (group.GetString() is { Length: > 0 } name && !Names.IsValid(name))))
        {
            return OperationError.Validation($"Invalid request: group {Names.Rule}");
        }

        var timeout = Member(body, "timeout");
        long? timeoutMs = null;
        if (!IsAbsent(timeout))
        {
            if (timeout.ValueKind != JsonValueKind.Number)
            {
                return OperationError.Validation("Invalid request: timeout must be a number of milliseconds");
            }

            timeoutMs = timeout.TryGetInt64(out var whole) ? whole : (long)Math.Clamp(Math.Truncate(timeout.GetDouble()), -1e18, 1e18);
        }

        var payload = DispatcherJson.Write(w =>
        {
            w.WritePropertyName("model");
            if (IsAbsent(model))
            {
                w.WriteStringValue(DefaultModel);
            }
            else
            {
                model.WriteTo(w);
            }

            foreach (var (key, value) in new[] { ("messages", messages), ("data", data) })
            {
                if (value.ValueKind != JsonValueKind.Undefined)
                {
                    w.WritePropertyName(key);
                    value.WriteTo(w);
                }
            }
        });
        return new DispatcherRequest(
            new JsonText(Encoding.UTF8.GetString(payload)),
            group.ValueKind == JsonValueKind.String && group.GetString() is { Length: > 0 } g ? g : TaskDefaults.Group,
            timeoutMs,
            Member(body, "async").ValueKind == JsonValueKind.True);
    }

    private static JsonElement Member(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value : default;

    private static bool IsAbsent(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
}
