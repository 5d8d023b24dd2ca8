using System.Text.Json.Nodes;

namespace Switchyard.Bench.Workloads;

/// <summary>One metric: the best peer's median, and Switchyard's median per result file with its ratio to the best peer.</summary>
public sealed record ComparisonRow(ResultColumn Column, JsonNode? BestPeer, Spread? BestPeerValue, IReadOnlyList<ComparisonCell> Switchyard);

/// <summary>Switchyard's value in one result file (one durability), and that value ÷ the best peer's.</summary>
public sealed record ComparisonCell(JsonNode Document, Spread? Value, double? Ratio);
