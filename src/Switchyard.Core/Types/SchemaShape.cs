using System.Text.Json;

namespace Switchyard.Core.Types;

/// <summary>
/// Checks the keywords of a JSON Schema whose misspelt values the compiler takes without a word and then lets every
/// payload through (<c>"type": "objekt"</c>, <c>"required": "name"</c>): the types named, the lists, and the schemas
/// nested under the keywords that hold schemas. The first mistake is named with where it is.
/// </summary>
internal static class SchemaShape
{
    private static readonly string[] Types = ["array", "boolean", "integer", "null", "number", "object", "string"];

    /// <summary>Keywords whose value is one schema.</summary>
    private static readonly HashSet<string> OneSchema =
    [
        "additionalItems", "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties",
    ];

    /// <summary>Keywords whose value is an object of schemas by name.</summary>
    private static readonly HashSet<string> SchemasByName = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"];

    /// <summary>Keywords whose value is a non-empty list of schemas.</summary>
    private static readonly HashSet<string> SchemaLists = ["allOf", "anyOf", "oneOf", "prefixItems"];

    /// <summary>Null when <paramref name="schema"/> (an object) has none of these mistakes, else the first one and where it is.</summary>
    public static string? FirstMistake(JsonElement schema) => Check(schema, "");

    private static string? Check(JsonElement schema, string at)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return $"{Where(at)}must be a schema (an object), not {Kind(schema)}";
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            var path = at.Length == 0 ? keyword.Name : $"{at}.{keyword.Name}";
            var mistake = keyword.Name switch
            {
                "type" => CheckType(value, path),
                "required" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
                    ? null
                    : $"{Where(path)}must be a list of property names",
                "enum" => value.ValueKind == JsonValueKind.Array ? null : $"{Where(path)}must be a list of values",
                "items" => value.ValueKind == JsonValueKind.Array ? CheckList(value, path, allowEmpty: true) : Check(value, path),
                // true/false here are draft 4's "allowed or not", not schemas.
                "additionalItems" or "additionalProperties" when value.ValueKind is JsonValueKind.True or JsonValueKind.False => null,
                var k when OneSchema.Contains(k) => Check(value, path),
                var k when SchemaLists.Contains(k) => value.ValueKind == JsonValueKind.Array
                    ? CheckList(value, path, allowEmpty: false)
                    : $"{Where(path)}must be a list of schemas",
                var k when SchemasByName.Contains(k) => value.ValueKind == JsonValueKind.Object
                    ? value.EnumerateObject().Select(p => Check(p.Value, $"{path}.{p.Name}")).FirstOrDefault(m => m is not null)
                    : $"{Where(path)}must be an object of schemas by name",
                _ => null,
            };
            if (mistake is not null)
            {
                return mistake;
            }
        }

        return null;
    }

    private static string? CheckType(JsonElement value, string path)
    {
        var named = value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array when value.GetArrayLength() > 0 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
                value.EnumerateArray().Select(v => v.GetString()!).ToArray(),
            _ => null,
        };
        if (named is null)
        {
            return $"{Where(path)}must be a type name or a list of them ({string.Join(", ", Types)})";
        }

        return named.FirstOrDefault(n => !Types.Contains(n, StringComparer.Ordinal)) is { } unknown
            ? $"{Where(path)}'{unknown}' is not a JSON Schema type ({string.Join(", ", Types)})"
            : null;
    }

    private static string? CheckList(JsonElement list, string path, bool allowEmpty) =>
        !allowEmpty && list.GetArrayLength() == 0
            ? $"{Where(path)}must list at least one schema"
            : list.EnumerateArray().Select((s, i) => Check(s, $"{path}[{i}]")).FirstOrDefault(m => m is not null);

    private static string Where(string path) => path.Length == 0 ? "" : $"{path}: ";

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false (the schemas here are draft 4's, objects)",
        _ => "null",
    };
}
