using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>One page of a task list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record TaskPage(IReadOnlyList<TaskRecord> Tasks, long? NextCursor);
