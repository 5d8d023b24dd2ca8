using System.Diagnostics.CodeAnalysis;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The writer's copies of the rows of unfinished tasks, as it last wrote or read them, so that a claim or a worker's
/// report finds its task without a query. Every change to a task row goes through <see cref="WriterContext"/> on the
/// writer's thread, so a copy equals the row, provided the copies a rolled-back command made are forgotten
/// (<see cref="UndoCommand"/>) and a failed transaction forgets them all (<see cref="Clear"/>). Bounded: at
/// <see cref="MaxRows"/> copies it starts over, and large tasks are not kept.
/// </summary>
internal sealed class LiveRows
{
    public const int MaxRows = 4_096;
    public const int MaxPayloadChars = 4_096;

    private readonly Dictionary<long, TaskRecord> _bySeq = [];
    private readonly Dictionary<string, long> _seqById = new(StringComparer.Ordinal);
    private readonly List<long> _touched = [];

    public bool TryGet(long seq, [MaybeNullWhen(false)] out TaskRecord task) => _bySeq.TryGetValue(seq, out task);

    public bool TryGet(string id, out (long Seq, TaskRecord Task) row)
    {
        if (_seqById.TryGetValue(id, out var seq) && _bySeq.TryGetValue(seq, out var task))
        {
            row = (seq, task);
            return true;
        }

        row = default;
        return false;
    }

    /// <summary>Records the row at <paramref name="seq"/> as <paramref name="task"/> (a finished or large task is dropped instead).</summary>
    public void Set(long seq, TaskRecord task)
    {
        _touched.Add(seq);
        if (task.State.IsTerminal() || task.Payload.Raw?.Length > MaxPayloadChars)
        {
            Forget(seq);
            return;
        }

        if (_bySeq.Count >= MaxRows && !_bySeq.ContainsKey(seq))
        {
            ForgetAll();
        }

        // The row keeps times in whole milliseconds (UTC); a time given by a client may be finer.
        if (task.RunAt is { } runAt && (runAt.Offset != TimeSpan.Zero || runAt.UtcTicks % TimeSpan.TicksPerMillisecond != 0))
        {
            task = task with { RunAt = TimeMs.Truncate(runAt) };
        }

        _bySeq[seq] = task;
        _seqById[task.Id] = seq;
    }

    public void Forget(long seq)
    {
        if (_bySeq.Remove(seq, out var task) && _seqById.TryGetValue(task.Id, out var mapped) && mapped == seq)
        {
            _seqById.Remove(task.Id);
        }
    }

    public void BeginCommand() => _touched.Clear();

    public void UndoCommand()
    {
        foreach (var seq in _touched)
        {
            Forget(seq);
        }

        _touched.Clear();
    }

    public void Clear()
    {
        ForgetAll();
        _touched.Clear();
    }

    private void ForgetAll()
    {
        _bySeq.Clear();
        _seqById.Clear();
    }
}
