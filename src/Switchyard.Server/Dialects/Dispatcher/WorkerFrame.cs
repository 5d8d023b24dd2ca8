using System.Text.Json;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// A frame from a dialect worker: <c>ready</c>, <c>task_complete</c> (or <c>taskResult</c>) <c>{taskId, result, duration}</c>,
/// <c>task_error</c> <c>{taskId, error, duration}</c>, <c>ping</c>. Other members (such as <c>duration</c>) are ignored.
/// </summary>
internal sealed record WorkerFrame(string Type, string? TaskId, JsonText Result, string Error)
{
    public const string Ready = "ready";
    public const string Complete = "task_complete";
    public const string CompleteAlias = "taskResult";
    public const string Fail = "task_error";
    public const string Ping = "ping";

    /// <summary>The error text of a <c>task_error</c> that names none.</summary>
    public const string UnknownError = "Unknown error";

    /// <summary>The frame, or null when it is not a JSON object with a string <c>type</c>.</summary>
    public static WorkerFrame? Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var taskId = root.TryGetProperty("taskId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            var result = root.TryGetProperty("result", out var value) ? JsonText.FromElement(value) : JsonText.Null;
            var error = root.TryGetProperty("error", out var text) ? text.ValueKind switch
            {
                JsonValueKind.String => text.GetString()!,
                JsonValueKind.Null => UnknownError,
                _ => text.GetRawText(),
            } : UnknownError;
            return new WorkerFrame(type.GetString()!, taskId, result, error);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
