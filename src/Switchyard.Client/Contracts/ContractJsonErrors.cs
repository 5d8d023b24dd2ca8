using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>
/// Says in a user's terms what was wrong with JSON read into one of the API's contracts: the JSON path, then an
/// unknown field with the fields its object takes, or a value of the wrong type with what the field takes.
/// The server's problem details, the task types file and the CLI's inputs all word it so.
/// </summary>
public static class ContractJsonErrors
{
    private const string NotConverted = "The JSON value could not be converted to ";
    private const string NotMapped = "The JSON property '";
    private const string NotMappedType = "contained in type '";
    private const string MissingRequired = " was missing required properties including: ";

    /// <summary><c>$.path: what is wrong</c>.</summary>
    public static string Describe(JsonException exception) => Describe(exception, ContractsJsonContext.Default);

    /// <summary>
    /// <c>$.path: what is wrong</c>, for JSON read into a type of <paramref name="context"/> (whose assembly holds the types
    /// it names), so that a handler's own payload types are described as the API's are.
    /// </summary>
    public static string Describe(JsonException exception, JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(context);
        var message = Words(exception);
        if (message.StartsWith(NotConverted, StringComparison.Ordinal))
        {
            var target = message[NotConverted.Length..].TrimEnd('.');
            var type = FieldType(context, target, exception.Path) ?? target;
            message = "the value has the wrong JSON type or format for this field" + (Expected(type) is { Length: > 0 } expected
                ? expected
                : Fields(context, type) is { Count: > 0 } fields ? $": a JSON object with {string.Join(", ", fields)}" : string.Empty) + ".";
        }
        else if (message.StartsWith(NotMapped, StringComparison.Ordinal) && message.IndexOf(NotMappedType, StringComparison.Ordinal) is var at and > 0)
        {
            var field = message[NotMapped.Length..message.IndexOf('\'', NotMapped.Length)];
            var holder = message[(at + NotMappedType.Length)..].TrimEnd('.', '\'');
            message = Fields(context, holder) is { Count: > 0 } known
                ? $"unknown field '{field}'; this object takes {string.Join(", ", known)}."
                : $"unknown field '{field}'.";
        }
        else if (message.IndexOf(MissingRequired, StringComparison.Ordinal) is var missing and > 0)
        {
            message = $"required field(s) missing: {message[(missing + MissingRequired.Length)..].TrimEnd('.')}";
        }
        else
        {
            message = Syntax(exception);
        }

        return $"{(exception.Path is { Length: > 0 } path ? path : "$")}: {message}";
    }

    /// <summary>
    /// What is wrong with JSON that does not parse, in the reader's words, with where it stopped as a person counts
    /// it: <c>'}' is an invalid start of a value (line 2, column 12)</c> (the column counts bytes).
    /// </summary>
    public static string Syntax(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = Words(exception).TrimEnd('.');
        return exception.LineNumber is { } line && exception.BytePositionInLine is { } column
            ? $"{message} (line {line + 1}, column {column + 1})"
            : message;
    }

    /// <summary>The exception's message without the reader's own <c>Path: … | LineNumber: … | BytePositionInLine: …</c> suffix.</summary>
    private static string Words(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        cut = cut > 0 ? cut : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static List<string>? Fields(JsonSerializerContext context, string holder) =>
        context.GetType().Assembly.GetType(holder) is { } type && context.GetTypeInfo(type) is { } info
            ? info.Properties.Select(p => p.Name).ToList()
            : null;

    /// <summary>
    /// The .NET type of the field at <paramref name="path"/> when the reader names the object that holds it instead
    /// (it does so for a field of a simple type): looked up in the contracts by the field's JSON name.
    /// </summary>
    private static string? FieldType(JsonSerializerContext context, string holder, string? path)
    {
        var field = path is null ? null : path[(path.LastIndexOf('.') + 1)..];
        if (string.IsNullOrEmpty(field) || field.Contains('[', StringComparison.Ordinal)
            || context.GetType().Assembly.GetType(holder) is not { } type
            || context.GetTypeInfo(type) is not { } info)
        {
            return null;
        }

        return info.Properties.FirstOrDefault(p => p.Name == field)?.PropertyType.ToString();
    }

    /// <summary>What a field of this .NET type takes, in JSON terms (empty for types without a plain answer).</summary>
    private static string Expected(string type)
    {
        // A nullable field is named as System.Nullable`1[System.Int32] or with the inner type assembly-qualified.
        var name = type.StartsWith("System.Nullable`1[", StringComparison.Ordinal)
            ? type["System.Nullable`1[".Length..].TrimStart('[').Split(',', ']')[0]
            : type;
        return name switch
        {
            "System.DateTimeOffset" or "System.DateTime" => ": an RFC 3339 date-time such as 2026-01-02T03:04:05Z",
            "System.Int32" or "System.Int64" => ": a whole number",
            "System.Double" or "System.Decimal" => ": a number",
            "System.Boolean" => ": true or false",
            "System.String" => ": a string",
            _ when name.StartsWith("System.Collections.Generic.", StringComparison.Ordinal) || name.EndsWith("[]", StringComparison.Ordinal)
                => name.Contains("Dictionary", StringComparison.Ordinal) ? ": a JSON object" : ": a JSON array",
            _ => string.Empty,
        };
    }
}
