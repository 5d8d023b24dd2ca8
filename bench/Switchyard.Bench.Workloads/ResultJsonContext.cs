using System.Text.Json.Serialization;

namespace Switchyard.Bench.Workloads;

/// <summary>Result files: snake_case names as the peers write them, indented, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ResultDocument))]
[JsonSerializable(typeof(WorkloadRun))]
[JsonSerializable(typeof(Spread))]
public sealed partial class ResultJsonContext : JsonSerializerContext;
