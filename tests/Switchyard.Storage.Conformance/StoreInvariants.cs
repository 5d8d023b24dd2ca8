using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>What must hold of a store whatever was done to it: checked at the end of every random run.</summary>
internal static class StoreInvariants
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60); // detects hangs; times nothing

    /// <summary>
    /// No task is lost, every task is listed under exactly one state, the stats count exactly the tasks,
    /// every history is a chain of legal moves ending in the task's state, leases match states, and no
    /// blocked task waits for dependencies that are all done.
    /// </summary>
    public static async Task AssertAsync(
        ITaskQueries queries, IReadOnlyList<string> ids, IReadOnlyDictionary<string, long> tokens, IReadOnlyList<string> queues,
        CancellationToken cancellationToken)
    {
        var tasks = new Dictionary<string, TaskRecord>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            tasks[id] = await Bounded(queries.GetTaskAsync(id, cancellationToken), cancellationToken)
                ?? throw new Xunit.Sdk.XunitException($"task {id} was lost");
        }

        // Every task is listed under exactly one state, the one it reads as.
        var listedAs = new Dictionary<string, TaskState>(StringComparer.Ordinal);
        foreach (var state in TaskStates.All)
        {
            foreach (var task in await ListAllAsync(queries, new TaskQuery { States = [state], Limit = 7 }, ids.Count, cancellationToken))
            {
                Assert.True(listedAs.TryAdd(task.Id, state), $"{task.Id} is listed as both {listedAs.GetValueOrDefault(task.Id)} and {state}");
                Assert.Equal(state, task.State);
            }
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), listedAs.Keys.Order(StringComparer.Ordinal));
        Assert.All(tasks.Values, t => Assert.Equal(t.State, listedAs[t.Id]));

        // The stats count exactly the tasks.
        var stats = await Bounded(queries.ListQueueStatsAsync(cancellationToken), cancellationToken);
        foreach (var queue in stats.Select(s => s.Queue).Union(queues))
        {
            foreach (var state in TaskStates.All)
            {
                var counted = stats.SingleOrDefault(s => s.Queue == queue)?.Count(state) ?? 0;
                var actual = tasks.Values.Count(t => t.Queue == queue && t.State == state);
                Assert.True(counted == actual, $"stats say {counted} {state.ToName()} tasks in {queue}, there are {actual}");
            }
        }

        foreach (var task in tasks.Values)
        {
            HistoryRules.AssertLegal(task, await Bounded(queries.ListHistoryAsync(task.Id, cancellationToken), cancellationToken) ?? []);
            if (task.State == TaskState.Blocked)
            {
                // No dependent is stuck: a blocked task has a dependency that is still open.
                var deps = await Bounded(queries.ListRelatedAsync(task.Id, TaskRelation.Dependencies, cancellationToken), cancellationToken) ?? [];
                Assert.True(DependencyResolution.Decide(task, deps, out _) == DependencyVerdict.Wait,
                    $"{task.Id} is blocked although its dependencies are {string.Join(", ", deps.Select(d => $"{d.Id}={d.State.ToName()}"))}");
            }

            Assert.InRange(task.Attempt, 0, task.MaxAttempts);
            switch (task.State)
            {
                case TaskState.Running:
                    Assert.Equal(tokens[task.Id], task.Lease?.Token);
                    break;
                case TaskState.Queued or TaskState.Scheduled:
                    Assert.Null(task.Lease);
                    break;
            }
        }
    }

    private static async Task<List<TaskRecord>> ListAllAsync(ITaskQueries queries, TaskQuery query, int atMost, CancellationToken cancellationToken)
    {
        var all = new List<TaskRecord>();
        var page = await Bounded(queries.ListTasksAsync(query, cancellationToken), cancellationToken);
        all.AddRange(page.Tasks);
        while (page.NextCursor is { } cursor)
        {
            Assert.True(all.Count <= atMost, "paging returns more tasks than exist");
            page = await Bounded(queries.ListTasksAsync(query with { Cursor = cursor }, cancellationToken), cancellationToken);
            all.AddRange(page.Tasks);
        }

        return all;
    }

    private static Task<T> Bounded<T>(Task<T> task, CancellationToken cancellationToken) => task.WaitAsync(Bound, cancellationToken);
}
