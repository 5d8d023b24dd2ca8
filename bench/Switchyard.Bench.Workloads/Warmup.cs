namespace Switchyard.Bench.Workloads;

/// <summary>
/// Untimed warm-up on a queue of its own, before a run's clock: the server, the producer and the worker are .NET
/// processes that start on unoptimised code, and each run has a fresh server. The warm-up exercises the same calls as
/// the workloads (single and batch submits, queue counts, and with a worker: submit-and-wait and long-poll reads),
/// so that the run measures warm code, as the peers' long-lived processes do after their first round.
/// </summary>
internal static class Warmup
{
    private const int Parallelism = 8;
    private const int Callers = 32;
    private const int BulkChunk = 1_000;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(Producer producer, int tasks, bool withWorker, CancellationToken cancellationToken)
    {
        if (tasks <= 0)
        {
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var queue = BenchTasks.WarmupQueue;
        await Parallel.ForAsync(0, tasks, Options(Parallelism, limit.Token), async (i, ct) => await producer.EnqueueAsync(queue, i, ct));
        for (var start = 0; start < tasks; start += BulkChunk)
        {
            await producer.EnqueueBulkAsync(queue, start, Math.Min(BulkChunk, tasks - start), limit.Token);
        }
        if (!withWorker)
        {
            await producer.CompletedCountAsync(queue, limit.Token);
            return;
        }

        await Parallel.ForAsync(0, tasks, Options(Callers, limit.Token), async (i, ct) =>
        {
            if (i % 2 == 0)
            {
                await producer.CallAsync(queue, i, ct);
            }
            else
            {
                await producer.WatchAsync(await producer.EnqueueAsync(queue, i, ct), ct);
            }
        });
        while (await producer.CompletedCountAsync(queue, limit.Token) < 3L * tasks)
        {
            await Task.Delay(Poll, limit.Token);
        }
    }

    private static ParallelOptions Options(int parallelism, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
}
