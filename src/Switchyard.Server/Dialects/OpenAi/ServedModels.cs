using Switchyard.Core.Dispatch;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>
/// Which models are served now: a model is a worker group. A push worker connected to any node of the cluster that takes
/// chat tasks (their queue, their type or any) and is not quiet serves each of its groups, and "default" when it lists none.
/// </summary>
internal static class ServedModels
{
    public static bool Serves(IEnumerable<ConnectedWorker> workers, string model, string queue) =>
        workers.Any(s => Takes(s, queue) && (model == TaskDefaults.Group || s.Groups.Contains(model, StringComparer.Ordinal)));

    /// <summary>Each served model once, ordered by name, with the time its first worker connected.</summary>
    public static IReadOnlyList<(string Id, DateTimeOffset Since)> List(IEnumerable<ConnectedWorker> workers, string queue) =>
        workers.Where(s => Takes(s, queue))
            .SelectMany(s => (s.Groups.Count > 0 ? s.Groups : [TaskDefaults.Group]).Select(g => (Id: g, Since: s.ConnectedAt)))
            .GroupBy(m => m.Id, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Min(m => m.Since)))
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .ToArray();

    private static bool Takes(ConnectedWorker worker, string queue) =>
        !worker.Quiet
        && worker.Queues.Contains(queue, StringComparer.Ordinal)
        && (worker.Types.Count == 0 || worker.Types.Contains(OpenAiOptions.TaskType, StringComparer.Ordinal));
}
