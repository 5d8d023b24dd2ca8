using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>What <see cref="ITaskStore.EnqueueAsync"/> stored, in request order, and the moves to publish.</summary>
public sealed record EnqueueResult(IReadOnlyList<EnqueuedTask> Tasks, IReadOnlyList<AppliedTransition> Transitions);
