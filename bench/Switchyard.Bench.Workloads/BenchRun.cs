namespace Switchyard.Bench.Workloads;

/// <summary>
/// What one run of one workload stands on: a fresh server process, the producer, and (for W2–W4) a worker process,
/// all warmed up before the workload's clock starts (see <see cref="Warmup"/>), then on PostgreSQL a checkpoint, as the
/// peers' harness takes before each run. Disposing it stops the worker and
/// kills the server, whose data folder goes with it.
/// </summary>
internal sealed class BenchRun : IAsyncDisposable
{
    private BenchRun(ServerProcess server, Producer producer, WorkerProcess? worker)
    {
        Server = server;
        Producer = producer;
        Worker = worker;
    }

    public ServerProcess Server { get; }

    public Producer Producer { get; }

    /// <summary>Connected, warm-up finished, not yet taking tasks of the bench queue (see <see cref="WorkerProcess.GoAsync"/>).</summary>
    public WorkerProcess? Worker { get; }

    public static async Task<BenchRun> StartAsync(
        PeerBenchOptions options, string durability, bool withWorker, TextWriter progress, CancellationToken cancellationToken)
    {
        var server = await ServerProcess.StartAsync(options, durability, cancellationToken);
        Producer? producer = null;
        WorkerProcess? worker = null;
        try
        {
            producer = new Producer(server.Address);
            var warmup = options.WarmupTasks > 0;
            worker = withWorker ? await WorkerProcess.StartAsync(options.Command, server.Address, options.WorkerCapacity, warmup, cancellationToken) : null;
            await Warmup.RunAsync(producer, options.WarmupTasks, withWorker, cancellationToken);
            if (worker is not null)
            {
                await worker.EndWarmupAsync(cancellationToken);
            }

            if (!await server.CheckpointAsync(cancellationToken))
            {
                await progress.WriteLineAsync("no CHECKPOINT before the run (the role may not take one); a checkpoint may fall inside it");
            }

            return new BenchRun(server, producer, worker);
        }
        catch
        {
            await StopAsync(worker);
            producer?.Dispose();
            server.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(Worker);
        Producer.Dispose();
        Server.Dispose();
    }

    private static async Task StopAsync(WorkerProcess? worker)
    {
        if (worker is not null)
        {
            await worker.StopAsync();
            worker.Dispose();
        }
    }
}
