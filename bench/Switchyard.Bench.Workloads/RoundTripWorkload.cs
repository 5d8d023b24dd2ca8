using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// W4: <see cref="WorkloadConstants.W4Callers"/> callers, each looping "submit a task and wait for its result" in one
/// call (<c>POST /api/v1/tasks?wait=true</c>), until <see cref="WorkloadConstants.W4MaxJobs"/> round trips in total or
/// <see cref="WorkloadConstants.W4MaxMs"/>, whichever comes first. Every result is checked to be <c>i + 1</c>.
/// </summary>
internal static class RoundTripWorkload
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    public static async Task<WorkloadRun> RunAsync(BenchRun run, WorkloadConstants constants, CancellationToken cancellationToken)
    {
        var worker = run.Worker ?? throw new InvalidOperationException("W4 needs a worker");
        await worker.GoAsync(cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        var latencies = new ConcurrentQueue<double>();
        var issued = -1;
        var wrong = 0;
        var limit = TimeSpan.FromMilliseconds(constants.W4MaxMs);
        var clock = Stopwatch.StartNew();
        async Task CallerAsync()
        {
            while (clock.Elapsed < limit)
            {
                var i = Interlocked.Increment(ref issued);
                if (i >= constants.W4MaxJobs)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                var task = await run.Producer.CallAsync(BenchTasks.Queue, i, cancellationToken);
                latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!BenchTasks.IsResultOf(task.Result, i))
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, constants.W4Callers).Select(_ => Task.Run(CallerAsync, cancellationToken)))
            .WaitAsync(limit + constants.Timeout, cancellationToken);
        var elapsed = clock.Elapsed;
        return new WorkloadRun
        {
            Callers = constants.W4Callers,
            Completed = latencies.Count,
            Seconds = elapsed.TotalSeconds,
            Rate = latencies.Count / elapsed.TotalSeconds,
            WrongResults = wrong,
            LatencyMs = LatencySummary.Of(latencies),
        };
    }
}
