using System.Text.Json;
using System.Text.Json.Serialization;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Queues;
using Switchyard.Core.Types;

namespace Switchyard.Core.Storage;

/// <summary>How every store writes the structured columns of task types and queue settings (defaults, rates, weights) as JSON text.</summary>
public static class ControlJson
{
    public static string? Write(TaskTypeDefaults defaults) => defaults == TaskTypeDefaults.None ? null : JsonSerializer.Serialize(
        new StoredTypeDefaults(defaults.Queue, defaults.Group, defaults.Priority, defaults.TimeoutMs, defaults.LeaseMs, defaults.MaxAttempts,
            defaults.Retry is { } r ? new StoredRetrySpec(r.Backoff?.ToName(), r.BaseDelayMs, r.MaxDelayMs, r.Multiplier, r.Jitter) : null,
            defaults.Review?.ToName()),
        ControlJsonContext.Default.StoredTypeDefaults);

    public static TaskTypeDefaults ReadDefaults(string? json)
    {
        if (json is null)
        {
            return TaskTypeDefaults.None;
        }

        var d = JsonSerializer.Deserialize(json, ControlJsonContext.Default.StoredTypeDefaults)!;
        return new TaskTypeDefaults
        {
            Queue = d.Queue,
            Group = d.Group,
            Priority = d.Priority,
            TimeoutMs = d.TimeoutMs,
            LeaseMs = d.LeaseMs,
            MaxAttempts = d.MaxAttempts,
            Retry = d.Retry is { } r ? new RetrySpec(BackoffKinds.Parse(r.Backoff), r.BaseDelayMs, r.MaxDelayMs, r.Multiplier, r.Jitter) : null,
            Review = ReviewModes.Parse(d.Review),
        };
    }

    public static string? Write(IReadOnlyDictionary<string, RateLimit> rates) => rates.Count == 0 ? null : JsonSerializer.Serialize(
        rates.ToDictionary(kv => kv.Key, kv => new StoredRate(kv.Value.Tasks, kv.Value.IntervalMs), StringComparer.Ordinal),
        ControlJsonContext.Default.DictionaryStringStoredRate);

    public static IReadOnlyDictionary<string, RateLimit> ReadRates(string? json) => json is null
        ? QueueSettings.NoRates
        : JsonSerializer.Deserialize(json, ControlJsonContext.Default.DictionaryStringStoredRate)!
            .ToDictionary(kv => kv.Key, kv => new RateLimit(kv.Value.Tasks, kv.Value.IntervalMs), StringComparer.Ordinal);

    public static string? Write(IReadOnlyDictionary<string, int> weights) => weights.Count == 0 ? null : JsonSerializer.Serialize(
        weights.ToDictionary(StringComparer.Ordinal), ControlJsonContext.Default.DictionaryStringInt32);

    public static IReadOnlyDictionary<string, int> ReadWeights(string? json) => json is null
        ? QueueSettings.NoWeights
        : new Dictionary<string, int>(JsonSerializer.Deserialize(json, ControlJsonContext.Default.DictionaryStringInt32)!, StringComparer.Ordinal);
}

internal sealed record StoredTypeDefaults(
    string? Queue, string? Group, int? Priority, long? TimeoutMs, long? LeaseMs, int? MaxAttempts, StoredRetrySpec? Retry, string? Review);

internal sealed record StoredRetrySpec(string? Backoff, long? BaseDelayMs, long? MaxDelayMs, double? Multiplier, double? Jitter);

internal sealed record StoredRate(int Tasks, long IntervalMs);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredTypeDefaults))]
[JsonSerializable(typeof(Dictionary<string, StoredRate>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
