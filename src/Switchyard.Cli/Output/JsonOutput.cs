using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Switchyard.Cli.Output;

/// <summary>
/// Writes wire contracts as JSON for people and scripts: one indented document, or one compact line per object.
/// Payloads and results are re-emitted too, so their layout does not depend on how they were submitted.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteIndentedAsync<T>(TextWriter writer, T value, JsonTypeInfo<T> type) =>
        writer.WriteLineAsync(Format(value, type, Indented));

    public static Task WriteLineAsync<T>(TextWriter writer, T value, JsonTypeInfo<T> type) =>
        writer.WriteLineAsync(Format(value, type, Compact));

    public static string Format<T>(T value, JsonTypeInfo<T> type, bool indented) => Format(value, type, indented ? Indented : Compact);

    private static string Format<T>(T value, JsonTypeInfo<T> type, JsonWriterOptions options)
    {
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value, type));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            document.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
