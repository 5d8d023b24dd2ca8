using System.Diagnostics.Metrics;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Engine;

/// <summary>
/// The moves this node applies, reported through the <c>Switchyard</c> meter: a counter per queue and event
/// (<c>task.completed</c>, <c>task.retrying</c>, ...), how long each attempt ran (running to wherever it went next)
/// and how long finished tasks took from submission. Moves other nodes applied are theirs to count, so the sum over
/// the nodes of a cluster counts each move once.
/// </summary>
internal sealed class TaskMetrics
{
    private readonly Counter<long> _moves;
    private readonly Histogram<double> _attempts;
    private readonly Histogram<double> _latency;

    public TaskMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SwitchyardMeter.Name); // disposed with the factory
        _moves = meter.CreateCounter<long>("tasks.moves", "{move}", "Task moves this node applied, per queue and event");
        _attempts = meter.CreateHistogram<double>("tasks.attempt.duration", "s",
            "How long an attempt ran: from its start to its result, failure, hand-back, timeout or cancellation, per queue and event");
        _latency = meter.CreateHistogram<double>("tasks.latency", "s", "From submission to a finished task, per queue and final state");
    }

    /// <summary>Counts <paramref name="move"/>, whose event is <paramref name="type"/>.</summary>
    public void Record(AppliedTransition move, string type)
    {
        var task = move.Task;
        var queue = new KeyValuePair<string, object?>("queue", task.Queue);
        var kind = new KeyValuePair<string, object?>("event", type);
        _moves.Add(1, queue, kind);
        if (move.From == TaskState.Running && task.StartedAt is { } started)
        {
            _attempts.Record(Math.Max(0, (task.UpdatedAt - started).TotalSeconds), queue, kind);
        }

        if (task.FinishedAt is { } finished && task.State is TaskState.Completed or TaskState.Failed or TaskState.Cancelled)
        {
            _latency.Record(Math.Max(0, (finished - task.CreatedAt).TotalSeconds), queue, new KeyValuePair<string, object?>("state", task.State.ToName()));
        }
    }
}
