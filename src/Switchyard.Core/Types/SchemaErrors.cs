using System.Globalization;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Switchyard.Core.Types;

/// <summary>Turns NJsonSchema's validation errors into (field path, plain message) pairs, one per failing value.</summary>
internal static class SchemaErrors
{
    /// <summary>
    /// Every leaf error, its path under <paramref name="field"/> (<c>payload.messages[0].role</c>). An error about one array item or
    /// additional property stands for the errors inside it; one about anyOf/oneOf/allOf/several types is reported as itself.
    /// </summary>
    public static IEnumerable<(string Path, string Message)> Flatten(IEnumerable<ValidationError> errors, string field)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && error.Kind is ValidationErrorKind.ArrayItemNotValid
                    or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid)
            {
                foreach (var inner in Flatten(child.Errors.Values.SelectMany(e => e), field))
                {
                    yield return inner;
                }

                continue;
            }

            yield return (PathOf(error.Path, field), Describe(error));
        }
    }

    /// <summary><c>#/messages[0].role</c> under <c>payload</c> is <c>payload.messages[0].role</c>; <c>#/</c> is the field itself.</summary>
    public static string PathOf(string? path, string field)
    {
        var rest = path is null ? string.Empty : path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path.TrimStart('#');
        return rest.Length == 0 ? field : rest[0] == '[' ? field + rest : $"{field}.{rest}";
    }

    private static string Describe(ValidationError error)
    {
        var s = error.Schema;
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => "is required",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => "is not an allowed property",
            ValidationErrorKind.StringExpected => "must be a string",
            ValidationErrorKind.NumberExpected => "must be a number",
            ValidationErrorKind.IntegerExpected => "must be an integer",
            ValidationErrorKind.BooleanExpected => "must be true or false",
            ValidationErrorKind.ObjectExpected => "must be an object",
            ValidationErrorKind.ArrayExpected => "must be an array",
            ValidationErrorKind.NullExpected => "must be null",
            ValidationErrorKind.NoTypeValidates => $"must be {Types(s?.Type ?? JsonObjectType.None)}",
            ValidationErrorKind.NotInEnumeration => $"must be one of {Enumeration(s)}",
            ValidationErrorKind.PatternMismatch => $"must match the pattern {s?.Pattern}",
            ValidationErrorKind.StringTooShort => $"must be at least {s?.MinLength} characters",
            ValidationErrorKind.StringTooLong => $"must be at most {s?.MaxLength} characters",
            ValidationErrorKind.NumberTooSmall => $"must be at least {Number(s?.ExclusiveMinimum ?? s?.Minimum)}" + (s?.IsExclusiveMinimum == true || s?.ExclusiveMinimum is not null ? " (exclusive)" : string.Empty),
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig =>
                $"must be at most {Number(s?.ExclusiveMaximum ?? s?.Maximum)}" + (s?.IsExclusiveMaximum == true || s?.ExclusiveMaximum is not null ? " (exclusive)" : string.Empty),
            ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf => $"must be a multiple of {Number(s?.MultipleOf)}",
            ValidationErrorKind.TooManyItems => $"must have at most {s?.MaxItems} items",
            ValidationErrorKind.TooFewItems => $"must have at least {s?.MinItems} items",
            ValidationErrorKind.ItemsNotUnique => "must not repeat items",
            ValidationErrorKind.TooManyProperties => $"must have at most {s?.MaxProperties} properties",
            ValidationErrorKind.TooFewProperties => $"must have at least {s?.MinProperties} properties",
            ValidationErrorKind.NotAnyOf => "matches none of the allowed schemas (anyOf)",
            ValidationErrorKind.NotOneOf => "must match exactly one of the allowed schemas (oneOf)",
            ValidationErrorKind.NotAllOf => "does not match all of the required schemas (allOf)",
            ValidationErrorKind.ExcludedSchemaValidates => "matches a schema it must not match (not)",
            ValidationErrorKind.TooManyItemsInTuple => "has more items than the schema allows",
            _ when error.Kind.ToString() is var kind && kind.EndsWith("Expected", StringComparison.Ordinal) =>
                $"must be a valid {Spaced(kind[..^"Expected".Length])}",
            _ => $"is not valid ({error.Kind})",
        };
    }

    private static string Types(JsonObjectType type)
    {
        var names = Enum.GetValues<JsonObjectType>()
            .Where(t => t != JsonObjectType.None && type.HasFlag(t))
            .Select(t => t.ToString().ToLowerInvariant())
            .ToArray();
        return names.Length == 0 ? "of another type" : string.Join(" or ", names);
    }

    private static string Enumeration(JsonSchema? schema) =>
        schema?.Enumeration is { Count: > 0 } values
            ? string.Join(", ", values.Select(v => v is null ? "null" : Newtonsoft.Json.JsonConvert.SerializeObject(v)))
            : "the allowed values";

    private static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "the limit";

    private static string Spaced(string kind) =>
        string.Concat(kind.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
