namespace Switchyard.Core.Scheduling;

/// <summary>
/// Decides which runs of a due schedule fire. A run at most <c>grace</c> late is on time (the runner's tick, a busy
/// store, a short restart) and fires whatever the policy; an older one was missed, and its
/// <see cref="MissedRunPolicy"/> decides.
/// </summary>
public static class FirePlanner
{
    /// <param name="timing">The schedule's expression and zone.</param>
    /// <param name="due">The schedule's stored next run, at or before <paramref name="now"/>.</param>
    /// <param name="now">The runner's clock.</param>
    /// <param name="policy">What to do with missed runs.</param>
    /// <param name="grace">How late a run may fire and still count as on time.</param>
    /// <param name="maxCatchUp">Most runs fired at once; older ones are dropped.</param>
    public static FirePlan Plan(CronTiming timing, DateTimeOffset due, DateTimeOffset now, MissedRunPolicy policy, TimeSpan grace, int maxCatchUp)
    {
        ArgumentNullException.ThrowIfNull(timing);
        var next = timing.NextAfter(now);
        if (due > now)
        {
            return new FirePlan([], false, due);
        }

        var horizon = now - grace;
        var fires = new List<DateTimeOffset>(); // newest first while collecting
        var cursor = timing.LastAtOrBefore(now) is { } last && last >= due ? last : due;
        DateTimeOffset? Older(DateTimeOffset run) => run > due && timing.LastBefore(run) is { } earlier && earlier >= due ? earlier : null;

        // Every run on time fires.
        DateTimeOffset? left = cursor;
        while (left is { } run && run >= horizon && fires.Count < maxCatchUp)
        {
            fires.Add(run);
            left = Older(run);
        }

        // Then the missed ones, as the policy says.
        switch (policy)
        {
            case MissedRunPolicy.Once when left is { } latestMissed && left < horizon && fires.Count < maxCatchUp:
                fires.Add(latestMissed);
                left = Older(latestMissed);
                break;
            case MissedRunPolicy.All:
                while (left is { } run && fires.Count < maxCatchUp)
                {
                    fires.Add(run);
                    left = Older(run);
                }

                break;
        }

        fires.Reverse();
        return new FirePlan(fires, left is not null, next);
    }
}
