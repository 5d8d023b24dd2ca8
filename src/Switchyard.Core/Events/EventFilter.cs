using System.Text;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Core.Events;

/// <summary>
/// Which events a subscriber wants: any of <see cref="Types"/> (all when null), and, when set, only those of one
/// queue, task, correlation id, scope or project. Tasks have no project id yet: <see cref="Project"/> matches the
/// task's <c>project</c> label.
/// </summary>
public sealed record EventFilter
{
    public static EventFilter All { get; } = new();

    public IReadOnlySet<string>? Types { get; private init; }

    public string? Queue { get; private init; }

    public string? TaskId { get; private init; }

    public string? CorrelationId { get; private init; }

    public string? Scope { get; private init; }

    public string? Project { get; private init; }

    /// <summary>
    /// Builds a filter, refusing what could never match: an unknown type word (see <see cref="TaskEventTypes.Resolve"/>),
    /// a queue, scope or project that is not a valid name, an empty task or correlation id.
    /// </summary>
    public static Outcome<EventFilter> Create(
        IEnumerable<string>? types = null, string? queue = null, string? taskId = null, string? correlationId = null,
        string? scope = null, string? project = null)
    {
        HashSet<string>? set = null;
        foreach (var word in types ?? [])
        {
            if (TaskEventTypes.Resolve(word) is not { } resolved)
            {
                return OperationError.Validation("type",
                    $"'{word}' is not an event type; use {string.Join(", ", TaskEventTypes.All)}, task.* or a seed alias ({string.Join(", ", TaskEventTypes.Aliases.Keys)})");
            }

            set ??= new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith(resolved);
        }

        foreach (var (field, value) in new[] { ("queue", queue), ("scope", scope), ("project", project) })
        {
            if (value is not null && !Names.IsValid(value))
            {
                return OperationError.Validation(field, $"'{value}' {Names.Rule}");
            }
        }

        foreach (var (field, value) in new[] { ("taskId", taskId), ("correlationId", correlationId) })
        {
            if (value is { Length: 0 or > 200 })
            {
                return OperationError.Validation(field, "must be between 1 and 200 characters");
            }
        }

        return new EventFilter
        {
            Types = set is null || set.Count == TaskEventTypes.All.Count ? null : set,
            Queue = queue,
            TaskId = taskId,
            CorrelationId = correlationId,
            Scope = scope,
            Project = project,
        };
    }

    public bool Matches(TaskEvent e) =>
        (Types is null || Types.Contains(e.Type))
        && (TaskId is null || TaskId == e.TaskId)
        && (Queue is null || Queue == e.Data.Queue)
        && (CorrelationId is null || CorrelationId == e.CorrelationId)
        && (Scope is null || Scope == e.Data.Scope)
        && (Project is null || Project == e.Data.Project);

    /// <summary>The filter as query parameters (for stats and logs); empty for everything.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                text.Append(text.Length == 0 ? string.Empty : "&").Append(name).Append('=').Append(value);
            }
        }

        Add("type", Types is null ? null : string.Join(',', Types.Order(StringComparer.Ordinal)));
        Add("queue", Queue);
        Add("taskId", TaskId);
        Add("correlationId", CorrelationId);
        Add("scope", Scope);
        Add("project", Project);
        return text.ToString();
    }
}
