using Switchyard.Core.Model;

namespace Switchyard.Storage.Postgres;

/// <summary>A move a transaction wrote: the task as it left it, where from and why, and the id of its history row.</summary>
internal readonly record struct PgMove(long HistoryId, TaskRecord Task, TaskState? From, TaskTrigger Trigger, string? Reason);
