using Switchyard.Core.Model;

namespace Switchyard.Core.Events;

/// <summary>One lifecycle event: <c>{seq, type, taskId, correlationId, time, data}</c>; <see cref="Task"/> is the task as the move left it.</summary>
public sealed record TaskEvent(long Seq, string Type, string TaskId, string? CorrelationId, DateTimeOffset Time, TaskRecord Task);
