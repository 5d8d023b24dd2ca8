using Switchyard.Core.Model;
using Switchyard.Core.Types;

namespace Switchyard.Core.Engine;

/// <summary>
/// What the broker asks before it builds a submitted task: the task type's defaults and payload schema
/// (<see cref="TaskTypeRegistry"/>). A queue's length limit is not asked here: the store applies the stored one in the
/// submit's transaction (<see cref="Storage.EnqueueRequest.StoredLengthsApply"/>).
/// </summary>
public sealed class TaskAdmission(TaskTypeRegistry types)
{
    public TaskAdmission()
        : this(new TaskTypeRegistry())
    {
    }

    public TaskTypeRegistry Types { get; } = types;

    /// <summary><paramref name="spec"/> with its type's defaults filled in, or the refusal (unregistered type, payload against the schema).</summary>
    public Outcome<SubmitTask> Prepare(SubmitTask spec, EngineOptions options, string fieldPrefix) =>
        Types.Prepare(spec, options.RequireRegisteredTypes, fieldPrefix);
}
