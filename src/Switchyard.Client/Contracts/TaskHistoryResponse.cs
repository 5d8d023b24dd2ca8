namespace Switchyard.Client.Contracts;

/// <summary>A task's history, oldest first.</summary>
public sealed record TaskHistoryResponse(string TaskId, IReadOnlyList<HistoryEntryDto> Entries);
