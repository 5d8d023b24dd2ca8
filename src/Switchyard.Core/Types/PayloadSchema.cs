using Newtonsoft.Json;
using NJsonSchema;
using NJsonSchema.References;
using Switchyard.Core.Model;

namespace Switchyard.Core.Types;

/// <summary>
/// A compiled payload JSON Schema. References inside the schema (<c>#/definitions/…</c>) resolve; references to
/// files or URLs are refused, so a schema never makes the server read a file or call out.
/// </summary>
public sealed class PayloadSchema
{
    /// <summary>Most field errors one refusal lists; the rest are counted in the message.</summary>
    public const int MaxErrors = 20;

    private readonly JsonSchema _schema;

    private PayloadSchema(JsonSchema schema, JsonText source)
    {
        _schema = schema;
        Source = source;
    }

    public JsonText Source { get; }

    /// <summary>Compiles <paramref name="schema"/>, or says (under <paramref name="field"/>) why it is not a usable schema.</summary>
    public static async Task<Outcome<PayloadSchema>> CompileAsync(JsonText schema, string field, CancellationToken cancellationToken)
    {
        var raw = schema.Raw ?? "null";
        if (raw.TrimStart() is not ['{', ..])
        {
            return OperationError.Validation(field, "must be a JSON Schema object");
        }

        try
        {
            using (var document = System.Text.Json.JsonDocument.Parse(raw))
            {
                if (SchemaShape.FirstMistake(document.RootElement) is { } mistake)
                {
                    return OperationError.Validation(field, $"is not a usable JSON Schema: {mistake}");
                }
            }

            var compiled = await JsonSchema.FromJsonAsync(raw, null, root => new LocalReferencesOnly(root), cancellationToken);
            return new PayloadSchema(compiled, schema);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return OperationError.Validation(field, $"is not JSON: {ex.Message}");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return OperationError.Validation(field, $"is not a usable JSON Schema: {Innermost(ex).Message}");
        }
    }

    /// <summary>Null when <paramref name="payload"/> satisfies the schema, else one refusal naming each offending field under <paramref name="field"/>.</summary>
    public OperationError? Check(JsonText payload, string field)
    {
        var errors = _schema.Validate(payload.Raw ?? "null");
        if (errors.Count == 0)
        {
            return null;
        }

        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var total = 0;
        foreach (var (path, message) in SchemaErrors.Flatten(errors, field))
        {
            total++;
            if (fields.Count < MaxErrors || fields.ContainsKey(path))
            {
                (fields.TryGetValue(path, out var list) ? list : fields[path] = []).Add(message);
            }
        }

        var (firstField, firstMessages) = fields.First();
        var more = total > 1 ? $" (and {total - 1} more)" : string.Empty;
        return new OperationError(ErrorCodes.ValidationFailed, $"{firstField}: {firstMessages[0]}{more}",
            fields.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    /// <summary>Resolves references within the schema only.</summary>
    private sealed class LocalReferencesOnly(JsonSchema root) : JsonReferenceResolver(new JsonSchemaAppender(root, new DefaultTypeNameGenerator()))
    {
        public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException($"the reference '{filePath}' points outside the schema; only '#/…' references are allowed");

        public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException($"the reference '{url}' points outside the schema; only '#/…' references are allowed");
    }
}
