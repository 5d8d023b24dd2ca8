using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>Writes JSON by hand: the dialect's shapes are OpenAI's, not Switchyard's contracts, and results pass through raw.</summary>
internal static class JsonWriting
{
    /// <summary>
    /// Non-ASCII text stays as it is (a chat answer in any language is not six bytes a letter): these bodies are served
    /// as application/json or text/event-stream, never embedded in HTML.
    /// </summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
