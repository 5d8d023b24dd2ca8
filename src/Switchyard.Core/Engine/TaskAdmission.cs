using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Types;

namespace Switchyard.Core.Engine;

/// <summary>
/// What the broker asks before it builds a submitted task: the task type's defaults and payload schema
/// (<see cref="TaskTypeRegistry"/>), and how many waiting tasks a queue may hold (stored settings over configuration).
/// </summary>
public sealed class TaskAdmission(TaskTypeRegistry types, QueueSettingsView queues)
{
    public TaskAdmission()
        : this(new TaskTypeRegistry(), new QueueSettingsView())
    {
    }

    public TaskTypeRegistry Types { get; } = types;

    public QueueSettingsView Queues { get; } = queues;

    /// <summary><paramref name="spec"/> with its type's defaults filled in, or the refusal (unregistered type, payload against the schema).</summary>
    public Outcome<SubmitTask> Prepare(SubmitTask spec, EngineOptions options, string fieldPrefix) =>
        Types.Prepare(spec, options.RequireRegisteredTypes, fieldPrefix);

    /// <summary>The queue's stored limit (0 there = none) when it has one, else the configured one; null = no limit.</summary>
    public int? MaxQueueLengthOf(string queue, EngineOptions options) => MaxQueueLengthOf(Queues.Find(queue), queue, options);

    public static int? MaxQueueLengthOf(QueueSettings? stored, string queue, EngineOptions options) =>
        stored?.MaxLength is { } limit ? (limit > 0 ? limit : null) : options.MaxQueueLengthOf(queue);
}
