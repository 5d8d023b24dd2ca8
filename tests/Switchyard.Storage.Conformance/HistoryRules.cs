using Switchyard.Core.Model;

namespace Switchyard.Storage.Conformance;

/// <summary>What every task's history must look like, whatever the store.</summary>
internal static class HistoryRules
{
    private static readonly Dictionary<string, TaskTrigger> TriggersByEvent =
        Enum.GetValues<TaskTrigger>().ToDictionary(t => t.ToEventName(), StringComparer.Ordinal);

    /// <summary>
    /// Starts with a submission, every row is a move of the transition table named by its event, each row
    /// starts where the previous one ended, and the last one ends in the task's current state.
    /// </summary>
    public static void AssertLegal(TaskRecord task, IReadOnlyList<HistoryEntry> history)
    {
        Assert.NotEmpty(history);
        TaskState? previous = null;
        for (var i = 0; i < history.Count; i++)
        {
            var row = history[i];
            Assert.Equal(task.Id, row.TaskId);
            Assert.True(TriggersByEvent.TryGetValue(row.Event, out var trigger), $"unknown history event '{row.Event}'");
            Assert.True(TaskTransitions.Table.Contains(new TaskTransition(row.From, trigger, row.To)),
                $"{task.Id} history row {i}: {row.From?.ToName() ?? "(new)"} -> {row.To.ToName()} on {row.Event} is not in the transition table");
            Assert.Equal(previous, row.From);
            Assert.True(i == 0 || row.At >= history[i - 1].At, $"{task.Id} history row {i} goes back in time");
            previous = row.To;
        }

        Assert.Equal(task.State, previous);
    }
}
