using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>Which finished tasks to delete: finished at or before <see cref="FinishedBefore"/>, in <see cref="States"/> (all finished states when empty), of <see cref="Queue"/> when given.</summary>
public sealed record PurgeFinishedRequest(DateTimeOffset FinishedBefore, IReadOnlyList<TaskState> States, string? Queue, int MaxTasks);
