using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>One task of an enqueue: <see cref="Created"/> is false when an idempotency key matched an existing task.</summary>
public sealed record EnqueuedTask(TaskRecord Task, bool Created);
