using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Switchyard.Client.Contracts;


namespace Switchyard.Bench;

/// <summary>
/// Durable submit throughput (single calls from 32 concurrent clients; batches of 1,000) and claim+complete
/// cycles through the REST API of a real server on loopback, with the embedded store.
/// Usage: <c>dotnet run -c Release --project bench/Switchyard.Bench -- [--durability fsync|process] [--rounds N]</c>.
/// </summary>
internal static class FoundationBench
{
    private const int SingleTasks = 20_000;
    private const int SingleClients = 32;
    private const int BatchTasks = 200_000;
    private const int BatchSize = 1_000;
    private const int CycleTasks = 20_000;
    private const int CycleWorkers = 8;
    private const int ClaimSize = 32;

    public static async Task<int> RunAsync(string[] args)
    {
        var durability = Arg(args, "--durability") ?? "fsync";
        var rounds = int.Parse(Arg(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        var results = new Dictionary<string, List<double>>();
        for (var round = 1; round <= rounds; round++)
        {
            await using var server = await BenchServer.StartAsync(durability);
            await WarmUpAsync(server);
            Record(results, "submit single, 32 clients (tasks/s)", await SubmitSingleAsync(server));
            Record(results, "submit batch of 1,000 (tasks/s)", await SubmitBatchAsync(server));
            Record(results, "claim+complete, 8 workers x 32 tasks (cycles/s)", await ClaimCompleteAsync(server));
            var (enqueue, cycles) = await StoreBench.RunAsync(Enum.Parse<Switchyard.Core.Storage.Durability>(durability, ignoreCase: true));
            Record(results, "store only: enqueue, batches of 1,000 (tasks/s)", enqueue);
            Record(results, "store only: claim+complete (cycles/s)", cycles);
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Switchyard foundation bench: durability={durability}, rounds={rounds}, {Environment.ProcessorCount} cores, {TimeProvider.System.GetLocalNow():yyyy-MM-dd}");
        report.AppendLine("| workload | median | min | max |");
        report.AppendLine("|---|---:|---:|---:|");
        foreach (var (name, values) in results)
        {
            values.Sort();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {values[values.Count / 2]:N0} | {values[0]:N0} | {values[^1]:N0} |");
        }

        Console.Write(report);
        return 0;
    }

    private static async Task WarmUpAsync(BenchServer server)
    {
        var tasks = Enumerable.Range(0, 500).Select(i => new SubmitTaskRequest { Type = "warmup", Payload = new(i.ToString(CultureInfo.InvariantCulture)) }).ToArray();
        (await server.Http.PostAsJsonAsync("/api/v1/tasks/batch", new SubmitBatchRequest(tasks), ContractsJsonContext.Default.SubmitBatchRequest)).Dispose();
        await Parallel.ForAsync(0, 500, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            (await server.Http.PostAsJsonAsync("/api/v1/tasks", new SubmitTaskRequest { Type = "warmup" }, ContractsJsonContext.Default.SubmitTaskRequest, ct)).Dispose());
        await DrainAsync(server, "warmup", 1_000);
    }

    private static async Task<double> SubmitSingleAsync(BenchServer server)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, SingleClients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < SingleTasks)
            {
                using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks",
                    new SubmitTaskRequest { Type = "single", Payload = new(i.ToString(CultureInfo.InvariantCulture)) },
                    ContractsJsonContext.Default.SubmitTaskRequest);
                response.EnsureSuccessStatusCode();
            }
        }));
        return SingleTasks / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> SubmitBatchAsync(BenchServer server)
    {
        var batches = Enumerable.Range(0, BatchTasks / BatchSize)
            .Select(b => new SubmitBatchRequest(Enumerable.Range(0, BatchSize)
                .Select(i => new SubmitTaskRequest { Type = "bulk", Payload = new(((b * BatchSize) + i).ToString(CultureInfo.InvariantCulture)) })
                .ToArray()))
            .ToArray();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch", batch, ContractsJsonContext.Default.SubmitBatchRequest);
            response.EnsureSuccessStatusCode();
        }

        return BatchTasks / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> ClaimCompleteAsync(BenchServer server)
    {
        for (var b = 0; b < CycleTasks / BatchSize; b++)
        {
            var batch = new SubmitBatchRequest(Enumerable.Range(0, BatchSize).Select(i => new SubmitTaskRequest { Type = "cycle", Payload = new("1") }).ToArray());
            (await server.Http.PostAsJsonAsync("/api/v1/tasks/batch", batch, ContractsJsonContext.Default.SubmitBatchRequest)).EnsureSuccessStatusCode().Dispose();
        }

        var clock = Stopwatch.StartNew();
        await DrainAsync(server, "cycle", CycleTasks);
        return CycleTasks / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Workers claim up to <see cref="ClaimSize"/> tasks and complete each with its own call, until <paramref name="count"/> are done.</summary>
    private static async Task DrainAsync(BenchServer server, string type, int count)
    {
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, CycleWorkers).Select(async w =>
        {
            var claim = new ClaimTasksRequest { WorkerId = $"bench-{w}", Types = [type], MaxTasks = ClaimSize, WaitMs = 100 };
            while (Volatile.Read(ref done) < count)
            {
                using var response = await server.Http.PostAsJsonAsync("/api/v1/claims", claim, ContractsJsonContext.Default.ClaimTasksRequest);
                var claimed = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync(ContractsJsonContext.Default.ClaimTasksResponse);
                // A worker runs the tasks it holds side by side and reports each as it finishes.
                await Task.WhenAll(claimed!.Tasks.Select(async task =>
                {
                    using var complete = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete",
                        new CompleteRequest(task.Lease!.Token, task.Payload), ContractsJsonContext.Default.CompleteRequest);
                    complete.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref done);
                }));
            }
        }));
    }

    private static void Record(Dictionary<string, List<double>> results, string name, double value)
    {
        if (!results.TryGetValue(name, out var list))
        {
            results[name] = list = [];
        }

        list.Add(value);
        Console.Error.WriteLine(FormattableString.Invariant($"{name}: {value:N0}"));
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
