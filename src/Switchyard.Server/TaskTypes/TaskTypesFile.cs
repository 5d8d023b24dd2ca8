using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Core.Types;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.TaskTypes;

/// <summary>
/// Reads task type definitions from a YAML or JSON file: <c>types: [...]</c> (the shape of <c>GET /api/v1/task-types</c>),
/// or one definition. Problems come back as <see cref="FormatException"/> naming the file and the field.
/// </summary>
public static class TaskTypesFile
{
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The definitions in the file at <paramref name="path"/>, as wire contracts.</summary>
    public static IReadOnlyList<TaskTypeDto> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read task types file '{path}': {ex.Message}", ex);
        }

        try
        {
            return Parse(text, IsYaml(path));
        }
        catch (FormatException ex)
        {
            throw new FormatException($"task types file '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>The definitions in <paramref name="text"/>: a <c>types</c> list or one definition.</summary>
    public static IReadOnlyList<TaskTypeDto> Parse(string text, bool yaml)
    {
        var json = yaml ? YamlJson.ToJson(text) : text;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("expected an object: {\"types\": [...]} or one task type");
            }

            if (document.RootElement.TryGetProperty("types", out _))
            {
                return document.RootElement.Deserialize(ContractsJsonContext.Wire.TaskTypeListResponse)?.Types ?? [];
            }

            return [document.RootElement.Deserialize(ContractsJsonContext.Wire.TaskTypeDto)!];
        }
        catch (JsonException ex)
        {
            throw new FormatException(ContractJsonErrors.Describe(ex), ex);
        }
    }

    /// <summary>The definitions of the server's types file, each mapped (field names under <c>types[i].</c>).</summary>
    public static IReadOnlyList<TaskTypeDefinition> Load(string path)
    {
        var dtos = Read(path);
        var definitions = new TaskTypeDefinition[dtos.Count];
        for (var i = 0; i < dtos.Count; i++)
        {
            var definition = dtos[i].ToDefinition(null, $"types[{i}].");
            definitions[i] = definition.IsSuccess
                ? definition.Value
                : throw new FormatException($"task types file '{path}': {definition.Error.Message}");
        }

        return definitions;
    }
}
