using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Switchyard.Client.Contracts;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Bench;

/// <summary>
/// Push dispatch: submit→worker→result round trips (32 callers each submitting with <c>wait=true</c>, one
/// WebSocket worker of capacity 64 completing at once), and the server's memory with 1,000 idle workers.
/// </summary>
internal static class PushBench
{
    private static readonly int Callers = int.Parse(Environment.GetEnvironmentVariable("BENCH_CALLERS") ?? "32", CultureInfo.InvariantCulture);
    private const int RoundTrips = 20_000;
    private const int IdleWorkers = 1_000;

    public static async Task<(double PerSecond, double P50, double P99)> RoundTripsAsync(string durability)
    {
        await using var server = await BenchServer.StartAsync(durability);
        await using var worker = await RawWorker.ConnectAsync(server.Http.BaseAddress!, 64, CancellationToken.None);
        worker.StartEchoing();
        await RunCallersAsync(server, 2_000, new double[2_000]);
        var latencies = new double[RoundTrips];
        var store = (SqliteTaskStore)server.Services.GetService(typeof(SqliteTaskStore))!;
        var before = store.WriterStats;
        var checkpointsBefore = store.CheckpointStats;
        var g0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
        var clock = Stopwatch.StartNew();
        await RunCallersAsync(server, RoundTrips, latencies);
        var rate = RoundTrips / clock.Elapsed.TotalSeconds;
        var after = store.WriterStats;
        var checkpoints = store.CheckpointStats;
        Console.Error.WriteLine($"writer: {after.Transactions - before.Transactions} transactions ({after.RunByCallers - before.RunByCallers} run by callers), {after.Commands - before.Commands} commands; "
            + $"WAL checkpoints beside the writer {checkpoints.Background - checkpointsBefore.Background}, on it {checkpoints.OnWriter - checkpointsBefore.OnWriter}; "
            + $"GCs gen0/1/2 {GC.CollectionCount(0) - g0.Item1}/{GC.CollectionCount(1) - g0.Item2}/{GC.CollectionCount(2) - g0.Item3}, "
            + $"{(GC.GetTotalAllocatedBytes() - g0.Item4) / RoundTrips:N0} bytes allocated per round trip (server, worker and callers in one process)");
        Array.Sort(latencies);
        return (rate, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    /// <summary>Starts the real server process, connects 1,000 idle workers, and reads the server's resident memory.</summary>
    public static async Task<(double IdleMiB, double WithWorkersMiB)> IdleWorkersAsync()
    {
        var data = Directory.CreateTempSubdirectory("switchyard-idle-").FullName;
        using var process = ServerProcess.Start(data);
        try
        {
            var baseAddress = await process.AddressAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = baseAddress };
            (await http.GetAsync("/readyz")).EnsureSuccessStatusCode();
            var idle = ServerProcess.ResidentMiB(process.Pid);
            var workers = new List<RawWorker>(IdleWorkers);
            for (var i = 0; i < IdleWorkers; i++)
            {
                workers.Add(await RawWorker.ConnectAsync(baseAddress, 1, CancellationToken.None));
            }

            var listed = await http.GetFromJsonAsync("/api/v1/workers", ContractsJsonContext.Default.WorkerListResponse);
            if (listed!.Workers.Count != IdleWorkers)
            {
                throw new InvalidOperationException($"expected {IdleWorkers} workers, the server lists {listed.Workers.Count}");
            }

            GC.Collect();
            var withWorkers = ServerProcess.ResidentMiB(process.Pid);
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }

            return (idle, withWorkers);
        }
        finally
        {
            process.Kill();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task RunCallersAsync(BenchServer server, int total, double[] latencies)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks?wait=true",
                    new SubmitTaskRequest { Type = "rt", Payload = new(i.ToString(CultureInfo.InvariantCulture)) },
                    ContractsJsonContext.Default.SubmitTaskRequest);
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"round trip {i}: {(int)response.StatusCode}");
                }

                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
