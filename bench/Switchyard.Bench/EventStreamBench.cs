using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Model;

namespace Switchyard.Bench;

/// <summary>
/// Through a real server: events delivered over SSE to HTTP clients on loopback; and submits per second through the
/// broker and store with nothing subscribed, then with one SSE client that stopped reading.
/// </summary>
internal static class EventStreamBench
{
    private const int SubmitCallers = 32;

    /// <summary>Publishes <paramref name="rate"/> events a second into the server's bus for <paramref name="duration"/>; <paramref name="clients"/> SSE readers.</summary>
    public static async Task<PacedRun> SseAsync(int clients, int rate, TimeSpan duration)
    {
        await using var server = await BenchServer.StartAsync("process");
        var hub = server.Services.GetRequiredService<TaskEventHub>();
        using var done = new CancellationTokenSource();
        var counts = Enumerable.Range(0, clients).Select(_ => new LatencyCounts()).ToArray();
        var opened = Enumerable.Range(0, clients).Select(_ => new TaskCompletionSource()).ToArray();
        var readers = counts.Select((c, i) => Task.Run(() => ReadSseAsync(server.Http, c, opened[i], done.Token))).ToArray();
        await Task.WhenAll(opened.Select(o => o.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        var total = (long)(rate * duration.TotalSeconds);
        var task = new TaskRecord { Id = "sse", Type = "bench", State = TaskState.Queued, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        var clock = Stopwatch.StartNew();
        await Task.Factory.StartNew(() =>
        {
            var spin = default(SpinWait);
            for (long sent = 0; sent < total;)
            {
                if (sent >= (long)(clock.Elapsed.TotalSeconds * rate) + 1)
                {
                    spin.SpinOnce();
                    continue;
                }

                hub.Publish(TaskEventTypes.Queued, task with { UpdatedAt = TimeProvider.System.GetUtcNow() });
                sent++;
            }
        }, TaskCreationOptions.LongRunning);
        var achieved = total / clock.Elapsed.TotalSeconds;
        var deadline = Stopwatch.StartNew();
        while (counts.Sum(c => c.Count) < total * clients && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        await done.CancelAsync();
        await Task.WhenAll(readers);
        var (p50, p99, max) = LatencyCounts.Quantiles(counts);
        return new PacedRun(achieved, counts.Sum(c => c.Count), total * clients, hub.Stats().DroppedSubscribers, p50, p99, max);
    }

    /// <summary>Single submits per second through the broker (no HTTP), 32 callers; optionally with one SSE client that never reads.</summary>
    public static async Task<(double PerSecond, long DroppedSubscribers)> SubmitsAsync(int tasks, bool stalledSubscriber)
    {
        await using var server = await BenchServer.StartAsync("fsync", new Dictionary<string, string?> { ["Events:Capacity"] = "4096" });
        var broker = server.Services.GetRequiredService<TaskBroker>();
        var hub = server.Services.GetRequiredService<TaskEventHub>();
        HttpResponseMessage? stalled = null;
        if (stalledSubscriber)
        {
            stalled = await server.Http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
            stalled.EnsureSuccessStatusCode();
        }

        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, SubmitCallers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < tasks)
            {
                var outcome = await broker.SubmitAsync(new SubmitTask { Type = "bench", Payload = new JsonText(next.ToString(CultureInfo.InvariantCulture)) }, "bench", CancellationToken.None);
                if (!outcome.IsSuccess)
                {
                    throw new InvalidOperationException(outcome.Error.Message);
                }
            }
        })));
        var rate = tasks / clock.Elapsed.TotalSeconds;
        stalled?.Dispose();
        return (rate, hub.Stats().DroppedSubscribers);
    }

    private static async Task ReadSseAsync(HttpClient http, LatencyCounts counts, TaskCompletionSource opened, CancellationToken done)
    {
        try
        {
            using var response = await http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, done);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(done));
            while (await reader.ReadLineAsync(done) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var at = line.IndexOf("\"time\":\"", StringComparison.Ordinal);
                var time = DateTimeOffset.Parse(line.AsSpan(at + 8, line.IndexOf('"', at + 8) - at - 8), CultureInfo.InvariantCulture);
                if (line.Contains("\"type\":\"stream.open\"", StringComparison.Ordinal))
                {
                    opened.TrySetResult();
                    continue;
                }

                counts.Record(TimeProvider.System.GetUtcNow() - time);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
