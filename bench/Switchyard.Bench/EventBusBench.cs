using System.Diagnostics;
using Microsoft.Extensions.Options;
using Switchyard.Core.Events;
using Switchyard.Core.Model;

namespace Switchyard.Bench;

/// <summary>The bus alone, in process: paced publishing to many subscribers, and the cost of one publish.</summary>
internal static class EventBusBench
{
    private static readonly TaskRecord Template = new()
    {
        Id = "0",
        Type = "llm.chat",
        Queue = "default",
        State = TaskState.Running,
        Attempt = 1,
        Labels = new Dictionary<string, string> { ["project"] = "bench" },
        Lease = new Lease("w1", 1, DateTimeOffset.UnixEpoch),
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Publishes <paramref name="rate"/> events a second for <paramref name="duration"/> to <paramref name="subscribers"/> readers.</summary>
    public static async Task<PacedRun> PacedAsync(int subscribers, int rate, TimeSpan duration)
    {
        using var hub = new TaskEventHub(Options.Create(new EventBusOptions()), TimeProvider.System);
        var subscriptions = Enumerable.Range(0, subscribers).Select(_ => hub.Subscribe()).ToArray();
        var counts = subscriptions.Select(_ => new LatencyCounts()).ToArray();
        using var done = new CancellationTokenSource();
        var readers = subscriptions.Select((s, i) => Task.Run(() => ReadAsync(s, counts[i], done.Token))).ToArray();
        var total = (long)(rate * duration.TotalSeconds);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Factory.StartNew(() => Publish(hub, rate, total), TaskCreationOptions.LongRunning);
        var publishSeconds = clock.Elapsed.TotalSeconds;
        var deadline = Stopwatch.StartNew();
        while (subscriptions.Any(s => s.Lag > 0) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        await done.CancelAsync();
        await Task.WhenAll(readers);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var (p50, p99, max) = LatencyCounts.Quantiles(counts);
        var dropped = hub.Stats().DroppedSubscribers;
        foreach (var s in subscriptions)
        {
            s.Dispose();
        }

        return new PacedRun(total / publishSeconds, counts.Sum(c => c.Count), total * subscribers, dropped, p50, p99, max) { CpuSeconds = cpuSeconds };
    }

    /// <summary>Nanoseconds per publish, unpaced, with <paramref name="subscribers"/> readers keeping up.</summary>
    public static async Task<double> PublishCostAsync(int subscribers, int events)
    {
        using var hub = new TaskEventHub(Options.Create(new EventBusOptions()), TimeProvider.System);
        var subscriptions = Enumerable.Range(0, subscribers).Select(_ => hub.Subscribe()).ToArray();
        using var done = new CancellationTokenSource();
        var readers = subscriptions.Select(s => Task.Run(() => ReadAsync(s, new LatencyCounts(), done.Token))).ToArray();
        var elapsed = await Task.Factory.StartNew(() =>
        {
            var clock = Stopwatch.StartNew();
            Publish(hub, int.MaxValue, events);
            return clock.Elapsed;
        }, TaskCreationOptions.LongRunning);
        await done.CancelAsync();
        await Task.WhenAll(readers);
        foreach (var s in subscriptions)
        {
            s.Dispose();
        }

        return elapsed.TotalNanoseconds / events;
    }

    private static void Publish(TaskEventHub hub, int rate, long total)
    {
        var clock = Stopwatch.StartNew();
        var spin = default(SpinWait);
        for (long sent = 0; sent < total;)
        {
            var due = Math.Min(total, rate == int.MaxValue ? total : (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            if (sent >= due)
            {
                spin.SpinOnce();
                continue;
            }

            for (; sent < due; sent++)
            {
                hub.Publish(TaskEventTypes.Progress, Template with { UpdatedAt = TimeProvider.System.GetUtcNow() });
            }
        }
    }

    private static async Task ReadAsync(TaskEventSubscription subscription, LatencyCounts counts, CancellationToken done)
    {
        try
        {
            while (!subscription.IsCompleted)
            {
                await subscription.WaitToReadAsync(Timeout.InfiniteTimeSpan, done);
                while (subscription.TryRead(out var item))
                {
                    if (item.Event is { } e)
                    {
                        counts.Record(TimeProvider.System.GetUtcNow() - e.Time);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>One paced run: achieved publish rate, deliveries (and how many were due), subscribers dropped, latency quantiles.</summary>
internal sealed record PacedRun(double Rate, long Delivered, long Expected, long Dropped, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>CPU the process used during the run (publisher, readers, everything), when measured.</summary>
    public double? CpuSeconds { get; init; }
}
