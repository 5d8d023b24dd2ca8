using System.Collections.Frozen;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Core.Types;

/// <summary>
/// The task types the engine knows, with their payload schemas compiled once. Read by every submit (lock-free:
/// a snapshot swapped whole), replaced by <see cref="TaskTypeCatalog"/> whenever the stored definitions change.
/// </summary>
public sealed class TaskTypeRegistry
{
    private readonly Lock _compiling = new();
    private FrozenDictionary<string, Entry> _types = FrozenDictionary<string, Entry>.Empty;
    private Dictionary<string, PayloadSchema> _compiled = new(StringComparer.Ordinal);

    public IReadOnlyCollection<TaskTypeDefinition> All => _types.Values.Select(e => e.Definition).OrderBy(d => d.Type, StringComparer.Ordinal).ToArray();

    public TaskTypeDefinition? Find(string type) => _types.TryGetValue(type, out var entry) ? entry.Definition : null;

    /// <summary>
    /// Replaces every definition. Schemas already compiled (same text) are reused; a schema that no longer compiles
    /// leaves its type without payload validation and is reported back.
    /// </summary>
    public async Task<IReadOnlyList<OperationError>> ReplaceAsync(IEnumerable<TaskTypeDefinition> definitions, CancellationToken cancellationToken)
    {
        var problems = new List<OperationError>();
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var compiled = new Dictionary<string, PayloadSchema>(StringComparer.Ordinal);
        Dictionary<string, PayloadSchema> known;
        lock (_compiling)
        {
            known = _compiled;
        }

        foreach (var definition in definitions)
        {
            PayloadSchema? schema = null;
            if (definition.PayloadSchema is { Raw: { } raw } source)
            {
                if (!known.TryGetValue(raw, out schema) && !compiled.TryGetValue(raw, out schema))
                {
                    var outcome = await PayloadSchema.CompileAsync(source, $"{definition.Type}.payloadSchema", cancellationToken);
                    if (outcome.IsSuccess)
                    {
                        schema = outcome.Value;
                    }
                    else
                    {
                        problems.Add(outcome.Error);
                    }
                }

                if (schema is not null)
                {
                    compiled[raw] = schema;
                }
            }

            entries[definition.Type] = new Entry(definition, schema);
        }

        lock (_compiling)
        {
            _compiled = compiled;
            _types = entries.ToFrozenDictionary(StringComparer.Ordinal);
        }

        return problems;
    }

    /// <summary>
    /// Fills the defaults of <paramref name="spec"/>'s type into the fields it left unset and checks its payload against
    /// the type's schema. An unregistered type passes unchanged unless <paramref name="requireRegistered"/>.
    /// </summary>
    public Outcome<SubmitTask> Prepare(SubmitTask spec, bool requireRegistered, string fieldPrefix = "")
    {
        if (!_types.TryGetValue(spec.Type ?? string.Empty, out var entry))
        {
            return requireRegistered && Names.IsValid(spec.Type)
                ? OperationError.Validation(fieldPrefix + "type",
                    $"'{spec.Type}' is not a registered task type (Engine:RequireRegisteredTypes is on; see /api/v1/task-types)")
                : spec;
        }

        var filled = entry.Definition.Defaults.FillInto(spec);
        return entry.Schema?.Check(filled.Payload ?? JsonText.Null, fieldPrefix + "payload") is { } refused ? refused : filled;
    }

    private sealed record Entry(TaskTypeDefinition Definition, PayloadSchema? Schema);
}
