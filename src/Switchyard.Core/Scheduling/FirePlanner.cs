namespace Switchyard.Core.Scheduling;

/// <summary>
/// Decides which runs of a due schedule fire, by its <see cref="MissedRunPolicy"/>. A run at most <c>grace</c> late
/// is on time (the runner's tick, a busy store); a later one was missed.
/// </summary>
public static class FirePlanner
{
    /// <param name="timing">The schedule's expression and zone.</param>
    /// <param name="due">The schedule's stored next run, at or before <paramref name="now"/>.</param>
    /// <param name="now">The runner's clock.</param>
    /// <param name="policy">What to do with missed runs.</param>
    /// <param name="grace">How late a run may fire and still count as on time.</param>
    /// <param name="maxCatchUp">Most runs <see cref="MissedRunPolicy.All"/> fires at once; older ones are dropped.</param>
    public static FirePlan Plan(CronTiming timing, DateTimeOffset due, DateTimeOffset now, MissedRunPolicy policy, TimeSpan grace, int maxCatchUp)
    {
        ArgumentNullException.ThrowIfNull(timing);
        var next = timing.NextAfter(now);
        if (due > now)
        {
            return new FirePlan([], false, due);
        }

        var latest = timing.LastAtOrBefore(now) is { } last && last >= due ? last : due;
        var olderThanLatest = latest > due;
        switch (policy)
        {
            case MissedRunPolicy.Skip:
                var onTime = now - latest <= grace;
                return new FirePlan(onTime ? [latest] : [], olderThanLatest || !onTime, next);
            case MissedRunPolicy.Once:
                return new FirePlan([latest], olderThanLatest, next);
            default:
                var fires = new List<DateTimeOffset> { latest };
                var cursor = latest;
                while (fires.Count < maxCatchUp && cursor > due && timing.LastBefore(cursor) is { } earlier && earlier >= due)
                {
                    fires.Add(earlier);
                    cursor = earlier;
                }

                var dropped = fires.Count == maxCatchUp && cursor > due && timing.LastBefore(cursor) is { } older && older >= due;
                fires.Reverse();
                return new FirePlan(fires, dropped, next);
        }
    }
}
