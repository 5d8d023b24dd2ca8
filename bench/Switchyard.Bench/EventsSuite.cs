using System.Globalization;

namespace Switchyard.Bench;

/// <summary>
/// The event bus: 100,000 events/s to 100 in-process subscribers, the cost of a publish with 0 and 100 subscribers,
/// SSE delivery to HTTP clients, and engine submits with and without a stalled subscriber.
/// Usage: <c>dotnet run -c Release --project bench/Switchyard.Bench -- --suite events [--rounds N]</c>.
/// </summary>
internal static class EventsSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        var r = Array.IndexOf(args, "--rounds");
        var rounds = r >= 0 && r + 1 < args.Length ? int.Parse(args[r + 1], CultureInfo.InvariantCulture) : 3;
        var rows = new List<string>();
        for (var round = 1; round <= rounds; round++)
        {
            Console.Error.WriteLine($"round {round}/{rounds}");
            rows.Add(Row("in-process: 100,000 events/s for 5 s, 100 subscribers", await EventBusBench.PacedAsync(100, 100_000, TimeSpan.FromSeconds(5))));
            rows.Add(Row("in-process: 10,000 events/s for 5 s, 100 subscribers", await EventBusBench.PacedAsync(100, 10_000, TimeSpan.FromSeconds(5))));
            rows.Add(Row("in-process: 100,000 events/s for 5 s, 1 subscriber", await EventBusBench.PacedAsync(1, 100_000, TimeSpan.FromSeconds(5))));
            foreach (var subscribers in new[] { 0, 1, 100 })
            {
                var ns = await EventBusBench.PublishCostAsync(subscribers, 1_000_000);
                rows.Add(FormattableString.Invariant($"| publish cost, unpaced, {subscribers} subscribers reading | {ns:N0} ns/event ({1e9 / ns:N0}/s) | | |"));
            }

            rows.Add(Row("SSE: 10,000 events/s for 5 s, 10 HTTP clients", await EventStreamBench.SseAsync(10, 10_000, TimeSpan.FromSeconds(5))));
            var plain = await EventStreamBench.SubmitsAsync(20_000, stalledSubscriber: false);
            var stalled = await EventStreamBench.SubmitsAsync(20_000, stalledSubscriber: true);
            rows.Add(FormattableString.Invariant($"| engine: single submits through the broker, 32 callers, no subscriber | {plain.PerSecond:N0} tasks/s | | |"));
            rows.Add(FormattableString.Invariant($"| engine: the same with one SSE client that never reads (ring 4,096) | {stalled.PerSecond:N0} tasks/s, {stalled.DroppedSubscribers} dropped | | |"));
        }

        Console.WriteLine(FormattableString.Invariant($"Switchyard events bench: rounds={rounds}, {Environment.ProcessorCount} cores, {TimeProvider.System.GetLocalNow():yyyy-MM-dd}"));
        Console.WriteLine("| workload | rate | delivered | latency p50 / p99 / max |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }

        return 0;
    }

    private static string Row(string name, PacedRun run) => FormattableString.Invariant(
        $"| {name} | {run.Rate:N0}/s | {run.Delivered:N0} of {run.Expected:N0}{(run.Dropped > 0 ? $", {run.Dropped} dropped" : string.Empty)}{Cpu(run)} | {run.P50Ms:F2} / {run.P99Ms:F2} / {run.MaxMs:F1} ms |");

    private static string Cpu(PacedRun run) => run.CpuSeconds is { } cpu && run.Delivered > 0
        ? FormattableString.Invariant($"; CPU {cpu:F1} s = {cpu * 1e9 / run.Delivered:N0} ns per delivery")
        : string.Empty;
}
