using System.Diagnostics;
using System.Globalization;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// Runs the peers' five workloads against Switchyard: for every round, every workload, every durability (interleaved,
/// so slow phases of the machine spread over all of them), one run on a fresh server process. A failed run is
/// recorded with its error and the bench goes on. After every run the result files are written again, so an
/// interrupted bench leaves what it measured.
/// </summary>
public static class PeerBench
{
    /// <summary>Whole-run bound beyond the workload's own: server and worker start, warm-up, stop.</summary>
    private static readonly TimeSpan SetupLimit = TimeSpan.FromMinutes(5);

    public static async Task<IReadOnlyList<ResultDocument>> RunAsync(PeerBenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        options.Validate();
        Directory.CreateDirectory(options.OutputDirectory);
        var startedAt = Now();
        var postgres = options.Store == PeerBenchOptions.PostgresStore
            ? await PostgresFacts.ReadAsync(options.PostgresConnection!, cancellationToken)
            : null;
        var sheets = options.Durabilities.ToDictionary(d => d, d => new ResultSheet(options, d, startedAt, postgres));
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var workload in options.Workloads)
            {
                foreach (var (durability, sheet) in sheets)
                {
                    var clock = Stopwatch.StartNew();
                    var run = await RunOnceAsync(options, durability, workload, progress, cancellationToken);
                    sheet.Add(workload, run);
                    await progress.WriteLineAsync(FormattableString.Invariant(
                        $"[switchyard {options.Store} {durability}] round {round} {workload}: {Brief(workload, run)} ({clock.Elapsed.TotalSeconds:F1} s)"));
                    await sheet.WriteAsync(null, cancellationToken);
                }
            }
        }

        var finishedAt = Now();
        foreach (var sheet in sheets.Values)
        {
            await sheet.WriteAsync(finishedAt, cancellationToken);
            await progress.WriteLineAsync($"wrote {sheet.Path}");
        }

        return sheets.Values.Select(s => s.ToDocument(finishedAt)).ToArray();
    }

    /// <summary>One run of <paramref name="workload"/> on a fresh server; a failure becomes a run with its error.</summary>
    private static async Task<WorkloadRun> RunOnceAsync(
        PeerBenchOptions options, string durability, string workload, TextWriter progress, CancellationToken cancellationToken)
    {
        var constants = options.Constants;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(SetupLimit + constants.Timeout + TimeSpan.FromMilliseconds(constants.W4MaxMs));
        try
        {
            await using var run = await BenchRun.StartAsync(options, durability, WorkloadNames.NeedsWorker(workload), progress, limit.Token);
            try
            {
                return await (workload switch
                {
                    WorkloadNames.W1 => SubmitWorkloads.SingleAsync(run, constants, limit.Token),
                    WorkloadNames.W1Bulk => SubmitWorkloads.BulkAsync(run, constants, limit.Token),
                    WorkloadNames.W2 => DrainWorkload.RunAsync(run, constants, limit.Token),
                    WorkloadNames.W3 => LatencyWorkload.RunAsync(run, constants, limit.Token),
                    _ => RoundTripWorkload.RunAsync(run, constants, limit.Token),
                });
            }
            finally
            {
                await limit.CancelAsync(); // whatever the workload left in flight stops before the server goes
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A run that fails is recorded with its error, as the peers' harness does; the bench goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return WorkloadRun.Failed(ex is OperationCanceledException ? $"{workload}: run took longer than its bound" : $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string Brief(string workload, WorkloadRun run)
    {
        if (run.Error is { } error)
        {
            return "ERROR " + error;
        }

        var parts = new List<string>();
        if (run.Rate is { } rate)
        {
            parts.Add(FormattableString.Invariant($"rate={rate:F0}/s"));
        }

        if (run.LatencyMs is { } l)
        {
            parts.Add(FormattableString.Invariant($"p50={l.P50} p95={l.P95} p99={l.P99} max={l.Max} ms"));
        }

        if (workload == WorkloadNames.W3 && run.AchievedRate is { } achieved)
        {
            parts.Add(FormattableString.Invariant($"sent at {achieved:F0}/s, lag ≤ {run.MaxSendLagMs} ms"));
        }

        if (workload == WorkloadNames.W4)
        {
            parts.Add(FormattableString.Invariant($"{run.Completed} round trips, {run.WrongResults} wrong"));
        }

        return string.Join(", ", parts);
    }

    private static string Now() => TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
