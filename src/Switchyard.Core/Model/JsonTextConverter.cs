using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Core.Model;

/// <summary>Reads any JSON value as text and writes the text back verbatim.</summary>
public sealed class JsonTextConverter : JsonConverter<JsonText>
{
    public override bool HandleNull => true;

    public override JsonText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new JsonText(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, JsonText value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Raw ?? "null", skipInputValidation: true);
}
