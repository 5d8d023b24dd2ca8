using System.Globalization;

namespace Switchyard.Bench;

/// <summary>The push-dispatch workloads of the worker issue: round trips through a WebSocket worker, idle workers' memory.</summary>
internal static class PushSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--durability");
        var durability = i >= 0 && i + 1 < args.Length ? args[i + 1] : "fsync";
        var r = Array.IndexOf(args, "--rounds");
        var rounds = r >= 0 && r + 1 < args.Length ? int.Parse(args[r + 1], CultureInfo.InvariantCulture) : 3;
        var runs = new List<(double Rate, double P50, double P99)>();
        for (var round = 0; round < rounds; round++)
        {
            var run = await PushBench.RoundTripsAsync(durability);
            Console.Error.WriteLine(FormattableString.Invariant($"round trips: {run.PerSecond:N0}/s p50 {run.P50:F2} ms p99 {run.P99:F2} ms"));
            runs.Add(run);
        }

        var (idle, withWorkers) = args.Contains("--no-idle") ? (0d, 0d) : await PushBench.IdleWorkersAsync();
        runs.Sort((a, b) => a.Rate.CompareTo(b.Rate));
        var median = runs[runs.Count / 2];
        Console.WriteLine(FormattableString.Invariant($"Switchyard push bench: durability={durability}, rounds={rounds}, {Environment.ProcessorCount} cores"));
        Console.WriteLine("| workload | result |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(FormattableString.Invariant($"| round trips, 32 callers, 1 worker of capacity 64 (median run) | {median.Rate:N0}/s, p50 {median.P50:F2} ms, p99 {median.P99:F2} ms |"));
        Console.WriteLine(FormattableString.Invariant($"| round trips, all runs | {string.Join("; ", runs.Select(x => $"{x.Rate:N0}/s p99 {x.P99:F2} ms"))} |"));
        Console.WriteLine(FormattableString.Invariant($"| server resident memory, idle | {idle:N0} MiB |"));
        Console.WriteLine(FormattableString.Invariant($"| server resident memory, 1,000 idle workers connected | {withWorkers:N0} MiB |"));
        return 0;
    }
}
