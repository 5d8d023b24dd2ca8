using Switchyard.Worker;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// The bench's worker process (<c>switchyard bench worker</c>): one <see cref="SwitchyardWorker"/> (the .NET worker
/// runtime, one WebSocket connection) whose handler returns <c>i + 1</c>, driven by the bench over stdin/stdout:
/// it says <c>ready</c> once connected (serving the warm-up queue when asked to), <c>end-warmup</c> → <c>warmed</c>
/// (the warm-up worker has stopped), <c>go</c> → <c>started</c> (the bench worker is connected and taking tasks),
/// <c>stop</c> or the end of stdin ends it. It ends by itself after <see cref="Lifetime"/>.
/// </summary>
public static class BenchWorker
{
    public const string Ready = "ready";
    public const string EndWarmup = "end-warmup";
    public const string Warmed = "warmed";
    public const string Go = "go";
    public const string Started = "started";
    public const string Stop = "stop";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(30);

    /// <summary>Runs the worker process's conversation; returns the process's exit code.</summary>
    public static async Task<int> RunAsync(Uri server, int capacity, bool warmup, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var life = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        life.CancelAfter(Lifetime);
        SwitchyardWorker? warm = null;
        SwitchyardWorker? bench = null;
        try
        {
            warm = warmup ? await StartAsync(server, BenchTasks.WarmupQueue, capacity, life.Token) : null;
            await SayAsync(output, Ready);
            while (await input.ReadLineAsync(life.Token).AsTask().WaitAsync(life.Token) is { } line)
            {
                switch (line.Trim())
                {
                    case EndWarmup:
                        await StopAsync(warm);
                        warm = null;
                        await SayAsync(output, Warmed);
                        break;
                    case Go:
                        bench ??= await StartAsync(server, BenchTasks.Queue, capacity, life.Token);
                        await SayAsync(output, Started);
                        break;
                    case Stop:
                        return 0;
                    default:
                        throw new InvalidOperationException($"the bench worker does not know '{line}'");
                }
            }

            return 0;
        }
        catch (OperationCanceledException) when (life.IsCancellationRequested)
        {
            return cancellationToken.IsCancellationRequested ? 130 : 3;
        }
        finally
        {
            await StopAsync(warm);
            await StopAsync(bench);
        }
    }

    private static async Task<SwitchyardWorker> StartAsync(Uri server, string queue, int capacity, CancellationToken cancellationToken)
    {
        var worker = new SwitchyardWorker(new SwitchyardWorkerOptions
        {
            Server = server,
            Name = $"bench-{Environment.ProcessId}-{queue}",
            Queues = [queue],
            Capacity = capacity,
        });
        worker.Handle(BenchTasks.Type, (context, _) => Task.FromResult(BenchTasks.Result(context.Payload)));
        await worker.StartAsync(cancellationToken);
        try
        {
            await worker.WaitUntilConnectedAsync(cancellationToken).WaitAsync(ConnectLimit, cancellationToken);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    private static async Task StopAsync(SwitchyardWorker? worker)
    {
        if (worker is not null)
        {
            await worker.DisposeAsync();
        }
    }

    private static async Task SayAsync(TextWriter output, string line)
    {
        await output.WriteLineAsync(line);
        await output.FlushAsync();
    }
}
