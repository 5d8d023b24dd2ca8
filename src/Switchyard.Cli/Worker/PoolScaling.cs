namespace Switchyard.Cli.Worker;

/// <summary>How a pool sizes itself: its bounds, how many tasks one process is meant for, how long a surplus must last before it shrinks.</summary>
internal sealed record PoolScaleRule(int Min, int Max, int TasksPerWorker, TimeSpan ScaleDownAfter);

/// <summary>The pool's wanted size, and since when it has had more processes than the demand needs (null: not in surplus).</summary>
internal readonly record struct PoolScale(int Target, DateTimeOffset? SurplusSince);

/// <summary>
/// The pool's scaling rule, pure: one process per <c>TasksPerWorker</c> tasks of demand (queued + running in its
/// queues), within [min, max]. It grows at once; it shrinks by one process after the demand has stayed below the
/// pool's size for <c>ScaleDownAfter</c>, and again after each further such period. An unknown demand (the server
/// did not answer) changes nothing.
/// </summary>
internal static class PoolScaling
{
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    public static int Wanted(PoolScaleRule rule, long demand)
    {
        var perWorker = Math.Max(1, rule.TasksPerWorker);
        var processes = (demand + perWorker - 1) / perWorker;
        return (int)Math.Clamp(processes, rule.Min, rule.Max);
    }

    public static PoolScale Next(PoolScaleRule rule, PoolScale current, long? demand, DateTimeOffset now)
    {
        var target = Math.Clamp(current.Target, rule.Min, rule.Max);
        if (demand is not { } known)
        {
            return current with { Target = target };
        }

        var wanted = Wanted(rule, known);
        if (wanted >= target)
        {
            return new PoolScale(wanted, null);
        }

        var since = current.SurplusSince ?? now;
        return now - since >= rule.ScaleDownAfter ? new PoolScale(target - 1, now) : new PoolScale(target, since);
    }

    /// <summary>
    /// Which process to stop when the pool shrinks: the one running the fewest tasks (an idle one before a busy one,
    /// whose tasks would otherwise be cut short at the end of its grace period), the newest among equals. A process
    /// the last count did not reach counts as busy.
    /// </summary>
    public static T ToStop<T>(IReadOnlyCollection<T> live, Func<T, long?> running, Func<T, DateTimeOffset> startedAt) =>
        live.OrderBy(c => running(c) ?? long.MaxValue).ThenByDescending(startedAt).First();

    /// <summary>Delay before restarting a process that crashed, after <paramref name="crashesInARow"/> crashes (from 1): 1 s doubling to 30 s.</summary>
    public static TimeSpan RestartDelay(int crashesInARow)
    {
        var delay = FirstRestartDelay * Math.Pow(2, Math.Clamp(crashesInARow - 1, 0, 10));
        return delay < MaxRestartDelay ? delay : MaxRestartDelay;
    }
}
