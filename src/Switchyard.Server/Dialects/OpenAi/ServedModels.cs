using Switchyard.Core.Dispatch;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>
/// Which models are served now: a model is a worker group. A connected push worker that takes chat tasks
/// (their queue, their type or any) serves each of its groups, and "default" when it lists none.
/// </summary>
internal static class ServedModels
{
    public static bool Serves(IEnumerable<WorkerSession> sessions, string model, string queue) =>
        sessions.Any(s => Takes(s, queue) && (model == TaskDefaults.Group || s.Spec.Groups.Contains(model, StringComparer.Ordinal)));

    /// <summary>Each served model once, ordered by name, with the time its first worker connected.</summary>
    public static IReadOnlyList<(string Id, DateTimeOffset Since)> List(IEnumerable<WorkerSession> sessions, string queue) =>
        sessions.Where(s => Takes(s, queue))
            .SelectMany(s => (s.Spec.Groups.Count > 0 ? s.Spec.Groups : [TaskDefaults.Group]).Select(g => (Id: g, Since: s.ConnectedAt)))
            .GroupBy(m => m.Id, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Min(m => m.Since)))
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .ToArray();

    private static bool Takes(WorkerSession session, string queue) =>
        !session.IsClosed && !session.IsQuiet
        && session.Spec.Queues.Contains(queue, StringComparer.Ordinal)
        && (session.Spec.Types.Count == 0 || session.Spec.Types.Contains(OpenAiOptions.TaskType, StringComparer.Ordinal));
}
