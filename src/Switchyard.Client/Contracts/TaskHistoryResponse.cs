using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>A task's history, oldest first.</summary>
public sealed record TaskHistoryResponse([property: JsonRequired] string TaskId, [property: JsonRequired] IReadOnlyList<HistoryEntryDto> Entries);
