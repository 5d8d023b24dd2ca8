namespace Switchyard.Client.Contracts;

/// <summary>One applied move of a task.</summary>
public sealed record HistoryEntryDto(DateTimeOffset At, string Event, string? From, string To, string? Actor, string? Reason, int Attempt);
