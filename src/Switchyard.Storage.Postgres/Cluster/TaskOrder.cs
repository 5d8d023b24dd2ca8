namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// Puts each task's moves back in order on a receiving node. Nodes announce moves after they commit, so the notices of
/// one task sent by two nodes (or by two flows of one node racing after their commits) can arrive out of order. A task's
/// moves form a chain (each leaves the state the one before it entered) and its history ids grow with its commits, so
/// a notice goes out when it continues its task's chain; one that does not is held until the missing move arrives, or
/// until the listener reads the missing moves back from the history table (<see cref="Overdue"/>). A notice older than
/// one that went out already is stale and dropped. A task not heard of (before this node started, or forgotten) takes
/// any notice. A task's expiry (<see cref="PgMoveNotice.Expired"/>) continues its chain right after its last move and ends
/// it: whatever of the task arrives after it is stale. Times are milliseconds of any steady clock. Not thread-safe: one
/// flow owns it.
/// </summary>
internal sealed class TaskOrder
{
    /// <summary>Tasks remembered at most; past that, the least recently moved are forgotten first.</summary>
    public const int MaxTasks = 200_000;

    /// <summary>What a task's chain ends in once its expiry went out.</summary>
    private const string Gone = "expired";

    private readonly Dictionary<string, Last> _last = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Waiting>> _held = new(StringComparer.Ordinal);

    /// <summary>Notices held now.</summary>
    public int HeldCount => _held.Values.Sum(h => h.Count);

    /// <summary>Notices dropped because a later move of their task had gone out first.</summary>
    public long Stale { get; private set; }

    /// <summary>Whether a move of <paramref name="taskId"/> went out here and is remembered.</summary>
    public bool Knows(string taskId) => _last.ContainsKey(taskId);

    /// <summary>A notice arrived: adds to <paramref name="ready"/> what can go out now, in order (it, and held ones it unblocks).</summary>
    /// <param name="earlierMayCome">
    /// For a task not heard of: whether an earlier move of it may still be on its way (some lower history id is unheard
    /// yet); then a notice that does not start the task's story waits like one that broke its chain.
    /// </param>
    public void Arrive(PgMoveNotice notice, string origin, long now, List<Waiting> ready, bool earlierMayCome = false)
    {
        var known = _last.TryGetValue(notice.Id, out var last);
        if (known && IsStale(notice, last))
        {
            Stale++;
            return;
        }

        var continues = known ? Continues(notice, last) : notice.From is null || !earlierMayCome;
        if (!continues)
        {
            if (!_held.TryGetValue(notice.Id, out var held))
            {
                _held[notice.Id] = held = [];
            }

            held.Add(new Waiting(notice, origin, now));
            return;
        }

        GoOut(new Waiting(notice, origin, now), now, ready);
    }

    /// <summary>
    /// A move read back from the history table went out (its notice never came, or not in time): false when a later move
    /// of its task went out already, so it must not. Adds to <paramref name="ready"/> the held notices it unblocks.
    /// </summary>
    public bool Recovered(string taskId, long historyId, string state, long now, List<Waiting> ready)
    {
        if (_last.TryGetValue(taskId, out var last) && historyId <= last.HistoryId)
        {
            Stale++;
            return false;
        }

        _last[taskId] = new Last(historyId, state, now);
        Release(taskId, now, ready);
        return true;
    }

    /// <summary>
    /// Tasks with a notice held since before <paramref name="before"/>: each with the history ids missing in between
    /// (above the last that went out, 0 for a task not heard of, below the first held), to read back.
    /// </summary>
    public IReadOnlyList<(string TaskId, long After, long Before)> Overdue(long before) =>
        _held.Where(h => h.Value.Any(w => w.Since < before))
            .Select(h => (h.Key, _last.TryGetValue(h.Key, out var last) ? last.HistoryId : 0, h.Value.Min(w => w.Notice.HistoryId)))
            .ToArray();

    /// <summary>Stops waiting for <paramref name="taskId"/>'s missing moves: its held notices go out in history order.</summary>
    public void Flush(string taskId, long now, List<Waiting> ready)
    {
        if (!_held.Remove(taskId, out var held))
        {
            return;
        }

        foreach (var waiting in held.OrderBy(w => w.Notice.HistoryId).ThenBy(w => w.Notice.Expired))
        {
            if (!_last.TryGetValue(taskId, out var last) || !IsStale(waiting.Notice, last))
            {
                ready.Add(waiting);
                _last[taskId] = Last.After(waiting.Notice, now);
            }
            else
            {
                Stale++;
            }
        }
    }

    /// <summary>Forgets tasks that moved last before <paramref name="before"/> (and, past <see cref="MaxTasks"/>, the least recent).</summary>
    public void Expire(long before)
    {
        var old = _last.Where(l => l.Value.At < before && !_held.ContainsKey(l.Key)).Select(l => l.Key).ToList();
        if (_last.Count - old.Count > MaxTasks)
        {
            old = _last.Where(l => !_held.ContainsKey(l.Key)).OrderBy(l => l.Value.At).Take(_last.Count - (MaxTasks / 2)).Select(l => l.Key).ToList();
        }

        foreach (var taskId in old)
        {
            _last.Remove(taskId);
        }
    }

    private void GoOut(Waiting waiting, long now, List<Waiting> ready)
    {
        ready.Add(waiting);
        _last[waiting.Notice.Id] = Last.After(waiting.Notice, now);
        Release(waiting.Notice.Id, now, ready);
    }

    /// <summary>Sends out the held notices of <paramref name="taskId"/> that now continue its chain, one after another.</summary>
    private void Release(string taskId, long now, List<Waiting> ready)
    {
        while (_held.TryGetValue(taskId, out var held))
        {
            var last = _last[taskId];
            Stale += held.RemoveAll(w => IsStale(w.Notice, last));
            var next = held.Where(w => Continues(w.Notice, last))
                .OrderBy(w => w.Notice.HistoryId)
                .Select(w => (Waiting?)w)
                .FirstOrDefault();
            if (held.Count == 0 || next is null)
            {
                if (held.Count == 0)
                {
                    _held.Remove(taskId);
                }

                return;
            }

            held.Remove(next.Value);
            ready.Add(next.Value);
            _last[taskId] = Last.After(next.Value.Notice, now);
        }
    }

    /// <summary>Older than what went out of its task (an expiry shares its history id with the move it follows), or after its expiry.</summary>
    private static bool IsStale(PgMoveNotice notice, Last last) =>
        last.State == Gone || (notice.Expired ? notice.HistoryId < last.HistoryId : notice.HistoryId <= last.HistoryId);

    /// <summary>Whether <paramref name="notice"/> follows what went out last: a move leaves the state it entered; an expiry follows the task's last move.</summary>
    private static bool Continues(PgMoveNotice notice, Last last) =>
        notice.Expired ? notice.HistoryId == last.HistoryId : string.Equals(notice.From, last.State, StringComparison.Ordinal);

    /// <summary>A notice with the node that sent it and when it arrived.</summary>
    public readonly record struct Waiting(PgMoveNotice Notice, string Origin, long Since);

    private readonly record struct Last(long HistoryId, string State, long At)
    {
        public static Last After(PgMoveNotice notice, long now) => new(notice.HistoryId, notice.Expired ? Gone : notice.State, now);
    }
}
