using System.Diagnostics;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// W2: the tasks are queued first (batch submits, untimed); then the clock starts, the worker is let go, and the
/// clock stops when storage shows all of them completed, asked every <see cref="WorkloadConstants.CountPollMs"/>
/// (<c>GET /api/v1/queues/bench</c>).
/// </summary>
internal static class DrainWorkload
{
    public static async Task<WorkloadRun> RunAsync(BenchRun run, WorkloadConstants constants, CancellationToken cancellationToken)
    {
        var worker = run.Worker ?? throw new InvalidOperationException("W2 needs a worker");
        var n = constants.W2Jobs;
        await SubmitWorkloads.FillAsync(run.Producer, n, constants.BulkChunk, cancellationToken);
        var poll = TimeSpan.FromMilliseconds(constants.CountPollMs);
        var clock = Stopwatch.StartNew();
        await worker.GoAsync(cancellationToken);
        long done;
        while ((done = await run.Producer.CompletedCountAsync(BenchTasks.Queue, cancellationToken)) < n)
        {
            if (clock.Elapsed > constants.Timeout)
            {
                throw new TimeoutException($"W2: timed out with {n - done} of {n} left");
            }

            await Task.Delay(poll, cancellationToken);
        }

        var elapsed = clock.Elapsed;
        return done == n ? WorkloadRun.Throughput(n, elapsed) : throw new InvalidOperationException($"W2: {done} tasks completed, {n} were queued");
    }
}
