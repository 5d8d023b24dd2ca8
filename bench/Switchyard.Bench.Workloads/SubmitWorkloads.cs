using System.Diagnostics;

namespace Switchyard.Bench.Workloads;

/// <summary>W1 and W1-bulk: submits with no worker running.</summary>
internal static class SubmitWorkloads
{
    /// <summary>W1: one producer submits the tasks one call at a time, each awaited.</summary>
    public static async Task<WorkloadRun> SingleAsync(BenchRun run, WorkloadConstants constants, CancellationToken cancellationToken)
    {
        var n = constants.W1Jobs;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            await run.Producer.EnqueueAsync(BenchTasks.Queue, i, cancellationToken);
            if ((i & 1023) == 0 && clock.Elapsed > constants.Timeout)
            {
                throw new TimeoutException($"W1: timed out after {i} of {n} submits");
            }
        }

        return WorkloadRun.Throughput(n, clock.Elapsed);
    }

    /// <summary>W1-bulk: the same tasks in batch submits of <see cref="WorkloadConstants.BulkChunk"/>.</summary>
    public static async Task<WorkloadRun> BulkAsync(BenchRun run, WorkloadConstants constants, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await FillAsync(run.Producer, constants.W1Jobs, constants.BulkChunk, cancellationToken);
        return WorkloadRun.Throughput(constants.W1Jobs, clock.Elapsed, constants.BulkChunk);
    }

    /// <summary>Submits tasks 0 .. <paramref name="n"/> - 1 to the bench queue in batches of <paramref name="chunk"/>, one call at a time.</summary>
    public static async Task FillAsync(Producer producer, int n, int chunk, CancellationToken cancellationToken)
    {
        for (var i = 0; i < n; i += chunk)
        {
            await producer.EnqueueBulkAsync(BenchTasks.Queue, i, Math.Min(chunk, n - i), cancellationToken);
        }
    }
}
