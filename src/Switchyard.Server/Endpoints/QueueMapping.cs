using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Endpoints;

/// <summary>Between queue settings and their wire shapes; reads a settings merge patch with the JSON path of anything it refuses.</summary>
public static class QueueMapping
{
    public static QueueDto ToDto(this QueueStats stats, QueueSettings settings, int? maxLength) => new(
        stats.Queue,
        stats.Counts.ToDictionary(kv => kv.Key.ToName(), kv => kv.Value, StringComparer.Ordinal),
        stats.Waiting,
        maxLength,
        settings.ToDto());

    public static QueueSettingsDto ToDto(this QueueSettings s) => new()
    {
        Paused = s.Paused,
        MaxLength = s.MaxLength,
        MaxRunning = s.MaxRunning,
        Rate = s.Rate is { } rate ? new RateLimitDto(rate.Tasks, rate.IntervalMs) : null,
        GroupRates = s.GroupRates.Count == 0 ? null : s.GroupRates.ToDictionary(kv => kv.Key, kv => new RateLimitDto(kv.Value.Tasks, kv.Value.IntervalMs)),
        ScopeWeights = s.ScopeWeights.Count == 0 ? null : s.ScopeWeights,
        GroupWeights = s.GroupWeights.Count == 0 ? null : s.GroupWeights,
        UpdatedAt = s.UpdatedAt,
    };

    /// <summary>
    /// A JSON merge patch of queue settings: <c>{"paused": true, "maxRunning": 4, "rate": {"tasks": 10, "intervalMs": 1000},
    /// "groupRates": {"gpt-4o": {...}}, "scopeWeights": {"acme": 3}}</c>; null clears a field, a key or a whole map.
    /// Anything else is refused as <c>invalid_json</c> naming its JSON path.
    /// </summary>
    public static Outcome<QueueSettingsPatch> ReadPatch(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Invalid("$", "the body must be a JSON object of settings");
        }

        var patch = new QueueSettingsPatch();
        foreach (var property in body.EnumerateObject())
        {
            var (value, path) = (property.Value, "$." + property.Name);
            Outcome<QueueSettingsPatch> next = property.Name switch
            {
                "paused" => value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? patch with { Paused = Patch<bool>.Set(value.GetBoolean()) }
                    : Invalid(path, "must be true or false"),
                "maxLength" => Read<int?>(value, path, Int, IntHint, n => patch with { MaxLength = Patch<int?>.Set(n) }),
                "maxRunning" => Read<int?>(value, path, Int, IntHint, n => patch with { MaxRunning = Patch<int?>.Set(n) }),
                "rate" => Read<RateLimit?>(value, path, Rate, RateHint, r => patch with { Rate = Patch<RateLimit?>.Set(r) }),
                "groupRates" => ReadMap<RateLimit?>(value, path, Rate, RateHint, m => patch with { GroupRates = Patch<IReadOnlyDictionary<string, RateLimit?>?>.Set(m) }),
                "scopeWeights" => ReadMap<int?>(value, path, Int, IntHint, m => patch with { ScopeWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(m) }),
                "groupWeights" => ReadMap<int?>(value, path, Int, IntHint, m => patch with { GroupWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(m) }),
                _ => Invalid(path, "is not a queue setting (paused, maxLength, maxRunning, rate, groupRates, scopeWeights, groupWeights)"),
            };
            if (!next.IsSuccess)
            {
                return next.Error;
            }

            patch = next.Value;
        }

        return patch;
    }

    private const string IntHint = "must be a whole number or null";
    private const string RateHint = "must be null or {\"tasks\": N, \"intervalMs\": MS}";

    private delegate bool Reader<T>(JsonElement value, out T result);

    private static Outcome<QueueSettingsPatch> Read<T>(
        JsonElement value, string path, Reader<T> read, string hint, Func<T, QueueSettingsPatch> apply) =>
        read(value, out var parsed) ? apply(parsed) : Invalid(path, hint);

    /// <summary>A map patch: null empties it; each entry sets its key, or removes it when null.</summary>
    private static Outcome<QueueSettingsPatch> ReadMap<T>(
        JsonElement value, string path, Reader<T> read, string hint, Func<IReadOnlyDictionary<string, T>?, QueueSettingsPatch> apply)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return apply(null);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return Invalid(path, "must be null or an object (a null entry removes its key)");
        }

        var entries = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (!read(entry.Value, out var parsed))
            {
                return Invalid($"{path}.{entry.Name}", hint);
            }

            entries[entry.Name] = parsed;
        }

        return apply(entries);
    }

    private static OperationError Invalid(string path, string message) => new(ErrorCodes.InvalidJson, $"{path}: {message}");

    private static bool Int(JsonElement value, out int? result)
    {
        result = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n))
        {
            result = n;
            return true;
        }

        return false;
    }

    private static bool Rate(JsonElement value, out RateLimit? result)
    {
        result = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Count() != 2
            || !value.TryGetProperty("tasks", out var tasks) || tasks.ValueKind != JsonValueKind.Number || !tasks.TryGetInt32(out var n)
            || !value.TryGetProperty("intervalMs", out var interval) || interval.ValueKind != JsonValueKind.Number
            || !interval.TryGetInt64(out var ms))
        {
            return false;
        }

        result = new RateLimit(n, ms);
        return true;
    }
}
