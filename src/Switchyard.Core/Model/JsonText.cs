using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Core.Model;

/// <summary>
/// A JSON value kept as its UTF-16 text, so a payload or result travels from the wire to the store
/// and back without being parsed into objects and serialised again.
/// </summary>
[JsonConverter(typeof(JsonTextConverter))]
public readonly record struct JsonText(string Raw)
{
    public static JsonText Null { get; } = new("null");

    public bool IsNull => Raw is null || Raw == "null";

    public override string ToString() => Raw ?? "null";

    /// <summary>Parses and re-emits <paramref name="json"/>, throwing <see cref="JsonException"/> when it is not JSON.</summary>
    public static JsonText Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new JsonText(document.RootElement.GetRawText());
    }

    public static bool TryParse(string text, out JsonText value)
    {
        try
        {
            value = Parse(text);
            return true;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }

    public static JsonText FromElement(JsonElement element) => new(element.GetRawText());

    public JsonElement ToElement()
    {
        using var document = JsonDocument.Parse(Raw ?? "null");
        return document.RootElement.Clone();
    }
}
