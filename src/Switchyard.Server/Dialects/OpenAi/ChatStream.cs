using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>
/// The Server-Sent Events of one streamed completion: <c>data: &lt;chunk&gt;</c> per progress report, then the
/// finish, then <c>data: [DONE]</c>. The response starts with the first chunk, so a task that fails before
/// producing any is answered with a plain error and its status.
/// </summary>
internal sealed class ChatStream(HttpResponse response, ChatIdentity who)
{
    private bool _started;
    private bool _roleSent;
    private bool _finishSent;

    /// <summary>How many chunks came from the task's progress reports.</summary>
    public int Streamed { get; private set; }

    public bool Started => _started;

    /// <summary>Streams a progress report whose <c>data</c> is a <c>chat.completion.chunk</c> or <c>{"delta": ...}</c>; ignores any other.</summary>
    public async Task ProgressAsync(TaskProgress progress, CancellationToken cancellationToken)
    {
        if (progress.Data is not { IsNull: false } data || JsonNode.Parse(data.Raw) is not JsonObject report)
        {
            return;
        }

        string chunk;
        if (IsChunk(report))
        {
            _finishSent |= report["choices"] is JsonArray choices
                && choices.Any(c => c is JsonObject o && o["finish_reason"] is JsonValue v && v.GetValueKind() == JsonValueKind.String);
            chunk = ChatShapes.Normalise(who, report);
        }
        else if (report["delta"] is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            chunk = ChatShapes.Chunk(who, 0, w => TextDelta(w, text.GetValue<string>()), null);
        }
        else if (report["delta"] is JsonObject delta)
        {
            chunk = ChatShapes.Chunk(who, 0, w => Properties(w, delta), null);
        }
        else
        {
            return;
        }

        Streamed++;
        await SendAsync(chunk, cancellationToken);
    }

    /// <summary>Ends a completed task's stream: its result as chunks when nothing was streamed, a finish chunk when none came, usage, [DONE].</summary>
    public async Task CompleteAsync(ChatResult result, bool includeUsage, CancellationToken cancellationToken)
    {
        if (Streamed == 0)
        {
            foreach (var choice in result.Choices)
            {
                await SendAsync(ChatShapes.Chunk(who, choice.Index, w => w.WriteString("role", "assistant"), null), cancellationToken);
                if (choice.Content is { Length: > 0 } content)
                {
                    await SendAsync(ChatShapes.Chunk(who, choice.Index, w => w.WriteString("content", content), null), cancellationToken);
                }

                if (choice.ToolCalls is { } tools)
                {
                    await SendAsync(ChatShapes.Chunk(who, choice.Index, w => ChatShapes.WriteIndexedToolCalls(w, tools), null), cancellationToken);
                }

                await SendAsync(ChatShapes.Chunk(who, choice.Index, _ => { }, choice.FinishReason), cancellationToken);
            }
        }
        else if (!_finishSent)
        {
            var reason = result.Choices.Count > 0 ? result.Choices[0].FinishReason : ChatResult.Stop;
            await SendAsync(ChatShapes.Chunk(who, 0, _ => { }, reason), cancellationToken);
        }

        if (includeUsage && result.Usage is { } usage)
        {
            await SendAsync(ChatShapes.UsageChunk(who, usage), cancellationToken);
        }

        await SendAsync("[DONE]", cancellationToken);
    }

    /// <summary>Before the stream started: a plain error response. After: an error event, then the stream ends.</summary>
    public async Task FailAsync(OpenAiError error, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            response.StatusCode = error.Status;
            response.ContentType = "application/json";
            await response.WriteAsync(error.ToJson(), cancellationToken);
            return;
        }

        await SendAsync(error.ToJson(), cancellationToken);
    }

    private static bool IsChunk(JsonObject report) =>
        (report["object"] is JsonValue kind && kind.GetValueKind() == JsonValueKind.String && kind.GetValue<string>() == ChatShapes.ChunkObject)
        || report["choices"] is JsonArray;

    private void TextDelta(Utf8JsonWriter writer, string text)
    {
        if (!_roleSent)
        {
            writer.WriteString("role", "assistant");
            _roleSent = true;
        }

        writer.WriteString("content", text);
    }

    private static void Properties(Utf8JsonWriter writer, JsonObject delta)
    {
        foreach (var (name, value) in delta)
        {
            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
    }

    private async Task SendAsync(string data, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            await response.StartAsync(cancellationToken);
        }

        await response.WriteAsync("data: " + data + "\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
