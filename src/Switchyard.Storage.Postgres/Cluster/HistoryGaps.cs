namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// Which history ids a node has not heard of. Ids come from one sequence but commit out of order, so an id below the
/// highest heard may still be on its way (an open transaction), lost (a notification missed while the listening
/// connection was down), or never coming (a rolled-back transaction). Each run of unheard ids is a gap; the polling
/// fallback reads the rows of gaps older than a grace period, and a gap nobody fills within its lifetime is forgotten.
/// Ids read that way are remembered, so that their notification, if it still comes, is dropped as a duplicate.
/// Times are milliseconds of any steady clock. Not thread-safe: one flow owns it.
/// </summary>
internal sealed class HistoryGaps
{
    /// <summary>More gaps than this and the oldest are forgotten (a node that was away very long).</summary>
    public const int MaxGaps = 100_000;

    private readonly List<Gap> _gaps = []; // sorted by Lo, disjoint
    private readonly Dictionary<long, long> _recovered = [];
    private bool _started;

    /// <summary>The highest id heard of (or seen in the table).</summary>
    public long Max { get; private set; }

    public int GapCount => _gaps.Count;

    /// <summary>A notice arrived: true to deliver it, false when the fallback delivered it already.</summary>
    public bool Accept(long id, long now)
    {
        if (!_started)
        {
            return true;
        }

        if (_recovered.Remove(id))
        {
            return false;
        }

        if (id > Max)
        {
            Open(Max + 1, id - 1, now);
            Max = id;
            return true;
        }

        Close(id);
        return true;
    }

    /// <summary>The table's highest id is <paramref name="max"/>: anything above what was heard is a gap from now on.</summary>
    public void Observe(long max, long now)
    {
        if (!_started)
        {
            _started = true;
            Max = max;
            return;
        }

        if (max > Max)
        {
            Open(Max + 1, max, now);
            Max = max;
        }
    }

    /// <summary>The listening connection was down: every gap, and everything up to <paramref name="max"/>, is due at once.</summary>
    public void Reconnected(long max, long now)
    {
        Observe(max, now);
        for (var i = 0; i < _gaps.Count; i++)
        {
            _gaps[i] = _gaps[i] with { Due = true };
        }
    }

    /// <summary>The gaps to read: opened at or before <paramref name="openedBy"/>, or made due by a reconnect.</summary>
    public IReadOnlyList<(long Lo, long Hi)> Due(long openedBy) =>
        _gaps.Where(g => g.Due || g.Opened <= openedBy).Select(g => (g.Lo, g.Hi)).ToArray();

    /// <summary>The fallback read id <paramref name="id"/>: no longer missing, and its notification is a duplicate if it comes.</summary>
    public void Recovered(long id, long now)
    {
        Close(id);
        _recovered[id] = now;
    }

    /// <summary>
    /// Whether some id below <paramref name="id"/>, in a gap opened at or after <paramref name="openedSince"/>, is still
    /// unheard: an earlier move of a task may be on its way (gaps opened long ago are rolled back, not late).
    /// </summary>
    public bool RecentGapBelow(long id, long openedSince) => _gaps.Any(g => g.Lo < id && g.Opened >= openedSince && !g.Due);

    /// <summary>Whether <paramref name="id"/> was heard of (delivered) already.</summary>
    public bool Delivered(long id) => _started && id <= Max && Find(id) < 0;

    /// <summary>Forgets gaps opened before <paramref name="before"/> (rolled back, or purged) and old duplicates' ids.</summary>
    public void Expire(long before)
    {
        _gaps.RemoveAll(g => g.Opened < before);
        foreach (var (id, at) in _recovered.ToArray())
        {
            if (at < before)
            {
                _recovered.Remove(id);
            }
        }
    }

    private void Open(long lo, long hi, long now)
    {
        if (lo > hi)
        {
            return;
        }

        _gaps.Add(new Gap(lo, hi, now, false));
        if (_gaps.Count > MaxGaps)
        {
            _gaps.RemoveAt(0);
        }
    }

    private void Close(long id)
    {
        var i = Find(id);
        if (i < 0)
        {
            return;
        }

        var gap = _gaps[i];
        if (gap.Lo == gap.Hi)
        {
            _gaps.RemoveAt(i);
        }
        else if (id == gap.Lo)
        {
            _gaps[i] = gap with { Lo = id + 1 };
        }
        else if (id == gap.Hi)
        {
            _gaps[i] = gap with { Hi = id - 1 };
        }
        else
        {
            _gaps[i] = gap with { Hi = id - 1 };
            _gaps.Insert(i + 1, gap with { Lo = id + 1 });
        }
    }

    /// <summary>The index of the gap holding <paramref name="id"/>, or -1.</summary>
    private int Find(long id)
    {
        int lo = 0, hi = _gaps.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var gap = _gaps[mid];
            if (id < gap.Lo)
            {
                hi = mid - 1;
            }
            else if (id > gap.Hi)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }

    private readonly record struct Gap(long Lo, long Hi, long Opened, bool Due);
}
