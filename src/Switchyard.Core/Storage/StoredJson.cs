using System.Text.Json;
using System.Text.Json.Serialization;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;

namespace Switchyard.Core.Storage;

/// <summary>How every store writes the small structured columns (error, retry, progress, labels, ids) as JSON text.</summary>
public static class StoredJson
{
    public static string Write(TaskError error) =>
        JsonSerializer.Serialize(new StoredError(error.Code, error.Message, error.Kind.ToName(), error.Details), StoredJsonContext.Default.StoredError);

    public static TaskError ReadError(string json)
    {
        var e = JsonSerializer.Deserialize(json, StoredJsonContext.Default.StoredError)!;
        return new TaskError(e.Code, e.Message, ErrorKinds.TryParse(e.Kind, out var kind) ? kind : ErrorKind.Fatal, e.Details);
    }

    private static readonly string DefaultRetry = Serialize(RetryPolicy.Default);

    public static string Write(RetryPolicy retry) => ReferenceEquals(retry, RetryPolicy.Default) ? DefaultRetry : Serialize(retry);

    public static RetryPolicy ReadRetry(string json) => json == DefaultRetry ? RetryPolicy.Default : Deserialize(json);

    private static string Serialize(RetryPolicy retry) => JsonSerializer.Serialize(
        new StoredRetry(retry.Kind == BackoffKind.Fixed ? "fixed" : "exponential", (long)retry.BaseDelay.TotalMilliseconds,
            (long)retry.MaxDelay.TotalMilliseconds, retry.Multiplier, retry.Jitter,
            retry.NonRetryableCodes.Count == 0 ? null : [.. retry.NonRetryableCodes]),
        StoredJsonContext.Default.StoredRetry);

    private static RetryPolicy Deserialize(string json)
    {
        var r = JsonSerializer.Deserialize(json, StoredJsonContext.Default.StoredRetry)!;
        return new RetryPolicy(r.Kind == "fixed" ? BackoffKind.Fixed : BackoffKind.Exponential,
            TimeSpan.FromMilliseconds(r.BaseMs), TimeSpan.FromMilliseconds(r.MaxMs), r.Multiplier, r.Jitter)
        {
            NonRetryableCodes = r.NonRetryable ?? [],
        };
    }

    public static string Write(TaskProgress progress) =>
        JsonSerializer.Serialize(new StoredProgress(progress.Percent, progress.Message, progress.Data), StoredJsonContext.Default.StoredProgress);

    public static TaskProgress ReadProgress(string json)
    {
        var p = JsonSerializer.Deserialize(json, StoredJsonContext.Default.StoredProgress)!;
        return new TaskProgress(p.Percent, p.Message, p.Data);
    }

    public static string? Write(IReadOnlyList<string> ids) =>
        ids.Count == 0 ? null : JsonSerializer.Serialize(ids.ToArray(), StoredJsonContext.Default.StringArray);

    public static IReadOnlyList<string> ReadIds(string? json) =>
        json is null ? TaskDefaults.NoDependencies : JsonSerializer.Deserialize(json, StoredJsonContext.Default.StringArray)!;

    public static string? Write(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? null : JsonSerializer.Serialize(labels.ToDictionary(), StoredJsonContext.Default.DictionaryStringString);

    public static IReadOnlyDictionary<string, string> ReadLabels(string? json) =>
        json is null ? TaskDefaults.NoLabels : JsonSerializer.Deserialize(json, StoredJsonContext.Default.DictionaryStringString)!;
}

internal sealed record StoredError(string Code, string Message, string Kind, JsonText? Details);

internal sealed record StoredRetry(string Kind, long BaseMs, long MaxMs, double Multiplier, double Jitter, string[]? NonRetryable = null);

internal sealed record StoredProgress(double? Percent, string? Message, JsonText? Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredError))]
[JsonSerializable(typeof(StoredRetry))]
[JsonSerializable(typeof(StoredProgress))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
