using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// Every JSON shape the dialect sends, written by hand: they are the origin's shapes, not Switchyard's contracts,
/// and payloads and results pass through as the worker and the caller gave them. See docs/protocols/dispatcher.md.
/// </summary>
internal static class DispatcherJson
{
    public const string ContentType = "application/json";
    public const string ConnectedMessage = "Connected to Task Dispatcher";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Pong { get; } = Write(w => w.WriteString("type", "pong"));

    /// <summary><c>{"error": message}</c>, the body of every refusal.</summary>
    public static byte[] Error(string message) => Write(w => w.WriteString("error", message));

    /// <summary>The answer to an async submit: <c>{taskId, status}</c>, status <c>queued</c> or <c>executing</c>.</summary>
    public static byte[] Submitted(string taskId, string status) => Write(w =>
    {
        w.WriteString("taskId", taskId);
        w.WriteString("status", status);
    });

    /// <summary>The answer to a sync submit that completed: <c>{taskId, status: "completed", result}</c>.</summary>
    public static byte[] Completed(string taskId, JsonText? result) => Write(w =>
    {
        w.WriteString("taskId", taskId);
        w.WriteString("status", TaskStatuses.Completed);
        w.WritePropertyName("result");
        w.WriteRawValue((result ?? JsonText.Null).ToString(), skipInputValidation: true);
    });

    /// <summary>GET /api/task/{id}: the fields of the task's <see cref="TaskStatuses"/> state.</summary>
    public static byte[] Status(TaskRecord task, long? position) => Write(w =>
    {
        var status = TaskStatuses.Of(task.State);
        w.WriteString("taskId", task.Id);
        w.WriteString("status", status);
        switch (status)
        {
            case TaskStatuses.Queued:
                w.WriteNumber("enqueuedAt", task.UpdatedAt.ToUnixTimeMilliseconds());
                w.WriteNumber("position", position ?? 1);
                break;
            case TaskStatuses.Executing:
                w.WriteString("workerId", task.Lease?.WorkerId);
                w.WriteNumber("startedAt", (task.StartedAt ?? task.UpdatedAt).ToUnixTimeMilliseconds());
                break;
            case TaskStatuses.Completed:
                w.WritePropertyName("result");
                w.WriteRawValue((task.Result ?? JsonText.Null).ToString(), skipInputValidation: true);
                w.WriteNumber("completedAt", (task.FinishedAt ?? task.UpdatedAt).ToUnixTimeMilliseconds());
                break;
            default:
                w.WriteString("error", TaskStatuses.ErrorOf(task));
                w.WriteNumber("failedAt", (task.FinishedAt ?? task.UpdatedAt).ToUnixTimeMilliseconds());
                break;
        }
    });

    /// <summary>The first frame to a worker: <c>{type: "connected", workerId, message}</c>.</summary>
    public static byte[] Connected(string workerId) => Write(w =>
    {
        w.WriteString("type", "connected");
        w.WriteString("workerId", workerId);
        w.WriteString("message", ConnectedMessage);
    });

    /// <summary>A task pushed to a worker: <c>{type: "task", taskId, payload}</c>.</summary>
    public static byte[] Task(TaskRecord task) => Write(w =>
    {
        w.WriteString("type", "task");
        w.WriteString("taskId", task.Id);
        w.WritePropertyName("payload");
        w.WriteRawValue(task.Payload.ToString(), skipInputValidation: true);
    });

    /// <summary>Writes one JSON object; <paramref name="members"/> writes its members.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
