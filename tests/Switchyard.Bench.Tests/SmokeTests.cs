using System.Diagnostics;
using System.Text.Json.Nodes;
using Switchyard.Bench.Workloads;

namespace Switchyard.Tests;

/// <summary>
/// Every workload at a tiny scale against real processes: the server (<c>switchyard serve</c>) and the bench worker
/// (<c>switchyard bench worker</c>) started from this project's output. Checks the results' shape, never their speed.
/// </summary>
public sealed class SmokeTests : IDisposable
{
    private const int Jobs = 50;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);
    private readonly string _folder = Directory.CreateTempSubdirectory("switchyard-benchsmoke-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SwitchyardCommand Switchyard => SwitchyardCommand.FromDll(Path.Combine(AppContext.BaseDirectory, "switchyard.dll"));

    [Fact]
    public async Task PeerBench_EveryWorkloadTinyScale_RecordsOneRunEachInThePeersShape()
    {
        var options = new PeerBenchOptions
        {
            Command = Switchyard,
            OutputDirectory = _folder,
            Rounds = 1,
            Durabilities = ["process"],
            Constants = WorkloadConstants.Peers.WithJobs(Jobs),
            WarmupTasks = 10,
        };

        var documents = await PeerBench.RunAsync(options, TextWriter.Null, Ct).WaitAsync(Bound, Ct);

        var document = Assert.Single(documents);
        Assert.Equal(WorkloadNames.All, document.Workloads.Keys);
        var runs = document.Workloads.ToDictionary(w => w.Key, w => Assert.Single(w.Value.Runs));
        Assert.All(runs.Values, r => Assert.Null(r.Error));
        Assert.All(new[] { WorkloadNames.W1, WorkloadNames.W1Bulk, WorkloadNames.W2 }, w =>
        {
            Assert.Equal(Jobs, runs[w].Jobs);
            Assert.True(runs[w].Rate > 0);
        });
        Assert.Equal(1_000, runs[WorkloadNames.W1Bulk].Chunk);
        Assert.Equal(Jobs, runs[WorkloadNames.W3].LatencyMs!.N);
        Assert.Equal(500, runs[WorkloadNames.W3].TargetRate);
        Assert.Equal(Jobs, runs[WorkloadNames.W4].Completed);
        Assert.Equal(0, runs[WorkloadNames.W4].WrongResults);
        Assert.Equal(32, runs[WorkloadNames.W4].Callers);
        var written = Assert.Single(ResultFiles.ReadAll(_folder));
        Assert.Equal(document.Label, ResultFiles.Label(written));
        Assert.All(WorkloadNames.All, w => Assert.Equal(1, (int)written["workloads"]![w]!["summary"]!["ok_runs"]!));
    }

    [Fact]
    public async Task Command_TwoWorkloadsWithoutWarmup_ExitsZeroPrintsTheTableAndWritesTheFile()
    {
        var (exit, output, error) = await RunAsync(
            "bench", "--jobs", "20", "--warmup", "0", "--rounds", "1", "--durability", "fsync", "--workloads", "w1,W4", "--out", _folder);

        Assert.True(exit == 0, error);
        Assert.Contains("W1 JOBS/S", output, StringComparison.Ordinal);
        Assert.Contains("Switchyard / SQLite (durability fsync; scaled down, not comparable)", output, StringComparison.Ordinal);
        Assert.Contains("[switchyard sqlite fsync] round 1 W4:", error, StringComparison.Ordinal);
        var written = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "switchyard-sqlite-fsync.json"), Ct))!;
        Assert.Equal(["W1", "W4"], written["workloads"]!.AsObject().Select(p => p.Key));
        Assert.Equal(20, (int)written["workloads"]!["W4"]!["runs"]![0]!["completed"]!);
    }

    [Theory]
    [InlineData("--durability", "fast", "--durability takes fsync, process or both")]
    [InlineData("--store", "postgres", "the postgres store needs a connection string")]
    [InlineData("--store", "mysql", "store must be sqlite or postgres, not 'mysql'")]
    [InlineData("--workloads", "W1,W5", "switchyard: not a workload: W5 (there are W1, W1-bulk, W2, W3, W4)\n")] // the whole line: no "(Parameter ...)"
    [InlineData("--rounds", "0", "rounds must be between 1 and 100")]
    public async Task Command_BadOption_ExitsTwoAndSaysWhy(string option, string value, string message)
    {
        var (exit, _, error) = await RunAsync("bench", option, value, "--out", _folder);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Switchyard.StartInfo(args))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        try
        {
            await process.WaitForExitAsync(Ct).WaitAsync(Bound, Ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output, await error);
    }
}
