using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Core.Queues;

/// <summary>
/// A partial update of <see cref="QueueSettings"/> (JSON merge patch): fields not set stay, fields set to null are
/// cleared; a map set to entries merges key by key (a null entry removes its key), a map set to null is emptied.
/// </summary>
public sealed record QueueSettingsPatch
{
    public const int MaxWeight = 1_000;
    public const int MaxEntries = 1_000;

    public Patch<bool> Paused { get; init; }
    public Patch<int?> MaxLength { get; init; }
    public Patch<int?> MaxRunning { get; init; }
    public Patch<RateLimit?> Rate { get; init; }
    public Patch<IReadOnlyDictionary<string, RateLimit?>?> GroupRates { get; init; }
    public Patch<IReadOnlyDictionary<string, int?>?> ScopeWeights { get; init; }
    public Patch<IReadOnlyDictionary<string, int?>?> GroupWeights { get; init; }

    public static QueueSettingsPatch Pause { get; } = new() { Paused = Patch<bool>.Set(true) };

    public static QueueSettingsPatch Resume { get; } = new() { Paused = Patch<bool>.Set(false) };

    public QueueSettings ApplyTo(QueueSettings current) => current with
    {
        Paused = Paused.Apply(current.Paused),
        MaxLength = MaxLength.Apply(current.MaxLength),
        MaxRunning = MaxRunning.Apply(current.MaxRunning),
        Rate = Rate.Apply(current.Rate),
        GroupRates = Merge(current.GroupRates, GroupRates),
        ScopeWeights = Merge(current.ScopeWeights, ScopeWeights),
        GroupWeights = Merge(current.GroupWeights, GroupWeights),
    };

    /// <summary>Null when every value the patch sets is usable, else the first problem, naming its field.</summary>
    public OperationError? Check()
    {
        if (MaxLength.Value is < 0)
        {
            return OperationError.Validation("maxLength", "must not be negative (0 = no limit, null = the configured limit)");
        }

        if (MaxRunning.Value is < 1)
        {
            return OperationError.Validation("maxRunning", "must be at least 1 (null = no limit; pause the queue to stop it)");
        }

        if (Rate.Value?.Validate() is { } rateProblem)
        {
            return OperationError.Validation("rate", rateProblem);
        }

        return CheckEntries("groupRates", GroupRates.Value, r => r?.Validate())
               ?? CheckEntries("scopeWeights", ScopeWeights.Value, CheckWeight)
               ?? CheckEntries("groupWeights", GroupWeights.Value, CheckWeight);
    }

    private static string? CheckWeight(int? weight) =>
        weight is < 1 or > MaxWeight ? $"weights must be between 1 and {MaxWeight}" : null;

    private static OperationError? CheckEntries<T>(string field, IReadOnlyDictionary<string, T>? entries, Func<T, string?> check)
    {
        if (entries is null)
        {
            return null;
        }

        if (entries.Count > MaxEntries)
        {
            return OperationError.Validation(field, $"at most {MaxEntries} entries");
        }

        foreach (var (key, value) in entries)
        {
            if (!Names.IsValid(key))
            {
                return OperationError.Validation(field, $"key '{key}' {Names.Rule}");
            }

            if (check(value) is { } problem)
            {
                return OperationError.Validation($"{field}.{key}", problem);
            }
        }

        return null;
    }

    private static IReadOnlyDictionary<string, TValue> Merge<TValue, TPatch>(
        IReadOnlyDictionary<string, TValue> current, Patch<IReadOnlyDictionary<string, TPatch>?> change)
    {
        if (!change.IsSet)
        {
            return current;
        }

        if (change.Value is not { } patch)
        {
            return new Dictionary<string, TValue>();
        }

        var merged = new Dictionary<string, TValue>(current.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is TValue set)
            {
                merged[key] = set;
            }
            else
            {
                merged.Remove(key);
            }
        }

        return merged;
    }
}
