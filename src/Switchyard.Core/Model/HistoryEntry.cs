namespace Switchyard.Core.Model;

/// <summary>One row of a task's history, written in the same transaction as the move it records.</summary>
public sealed record HistoryEntry(
    string TaskId,
    DateTimeOffset At,
    string Event,
    TaskState? From,
    TaskState To,
    string? Actor,
    string? Reason,
    int Attempt);
