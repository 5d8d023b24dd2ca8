using System.Diagnostics;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// W3: with the worker running, one producer sends the tasks open-loop at <see cref="WorkloadConstants.W3Rate"/>
/// (task i at t0 + i / rate, without waiting for earlier submits); per task, the time from just before its submit
/// until the producer sees it completed. The producer watches each task with a long-poll read issued as soon as the
/// submit returns (the server answers it when the task settles).
/// </summary>
internal static class LatencyWorkload
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    public static async Task<WorkloadRun> RunAsync(BenchRun run, WorkloadConstants constants, CancellationToken cancellationToken)
    {
        var worker = run.Worker ?? throw new InvalidOperationException("W3 needs a worker");
        await worker.GoAsync(cancellationToken);
        await Task.Delay(Settle, cancellationToken); // as the peers: let the worker settle into its wait
        var n = constants.W3Jobs;
        var interval = 1000.0 / constants.W3Rate;
        var latencies = new double[n];
        var pending = new Task[n];
        var sent = 0;
        var maxBehind = 0.0;
        var t0 = Stopwatch.GetTimestamp();
        while (sent < n)
        {
            var due = Math.Min(n, (int)(Stopwatch.GetElapsedTime(t0).TotalMilliseconds / interval) + 1);
            while (sent < due)
            {
                var i = sent++;
                var started = Stopwatch.GetTimestamp();
                maxBehind = Math.Max(maxBehind, Stopwatch.GetElapsedTime(t0, started).TotalMilliseconds - (i * interval));
                pending[i] = SendAndWatchAsync(run.Producer, i, started, latencies, cancellationToken);
            }

            if (sent < n)
            {
                await Task.Delay(Tick, cancellationToken);
            }
        }

        var sending = Stopwatch.GetElapsedTime(t0);
        try
        {
            await Task.WhenAll(pending).WaitAsync(constants.Timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"W3: {pending.Count(p => !p.IsCompleted)} of {n} tasks not seen completed within {constants.Timeout.TotalSeconds:0} s");
        }

        return new WorkloadRun
        {
            Jobs = n,
            TargetRate = constants.W3Rate,
            AchievedRate = n / sending.TotalSeconds,
            MaxSendLagMs = Statistics.RoundHalfUp(maxBehind, 1),
            LatencyMs = LatencySummary.Of(latencies),
        };
    }

    private static async Task SendAndWatchAsync(Producer producer, int i, long started, double[] latencies, CancellationToken cancellationToken)
    {
        var id = await producer.EnqueueAsync(BenchTasks.Queue, i, cancellationToken);
        await producer.WatchAsync(id, cancellationToken);
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
