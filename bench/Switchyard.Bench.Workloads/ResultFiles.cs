using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Bench.Workloads;

/// <summary>Reading result files (ours and the peers') as JSON, and what a result says about its durability.</summary>
public static class ResultFiles
{
    public const string SwitchyardSystem = "switchyard";

    /// <summary>Every <c>*.json</c> result in <paramref name="directory"/>, by file name; files that are not results are skipped.</summary>
    public static IReadOnlyList<JsonNode> ReadAll(string directory) =>
        Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f)))
            .OfType<JsonObject>()
            .Where(d => d["label"] is not null && d["workloads"] is JsonObject)
            .ToArray();

    public static JsonNode ToJson(ResultDocument document) =>
        JsonSerializer.SerializeToNode(document, ResultJsonContext.Default.ResultDocument)!;

    public static bool IsSwitchyard(JsonNode document) => (string?)document["system"] == SwitchyardSystem;

    public static string Label(JsonNode document) => (string?)document["label"] ?? "?";

    /// <summary>The durability in a few words, as the peers' table states it.</summary>
    public static string Durability(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var d = document["durability"] as JsonObject ?? [];
        if (d.ContainsKey("appendonly"))
        {
            return (string?)d["appendonly"] == "yes" ? $"AOF, fsync {d["appendfsync"]}" : $"RDB snapshots (save {d["save"]}), no AOF";
        }

        return d.ContainsKey("fsync")
            ? $"fsync={d["fsync"]}, synchronous_commit={d["synchronous_commit"]}"
            : (string?)d["persistence"] ?? "?";
    }
}
