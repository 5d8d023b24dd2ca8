using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Bench.Workloads;

namespace Switchyard.Tests;

/// <summary>Our result files have the peers' shape, so their table tool reads them and ours reads theirs.</summary>
public sealed class ResultShapeTests
{
    [Fact]
    public void Document_Json_HasThePeersTopLevelFields()
    {
        var json = Serialise(Sheet("fsync"));

        Assert.Equal(
            ["system", "label", "started_at", "versions", "server", "durability", "settings", "completion", "worker", "workload_constants", "workloads", "finished_at"],
            json.Select(p => p.Key));
        Assert.Equal("switchyard", (string?)json["system"]);
        Assert.Equal("Switchyard / SQLite (durability fsync)", (string?)json["label"]);
        Assert.Equal(["switchyard", "sqlite", "dotnet"], json["versions"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Document_WorkloadConstants_AreThePeersUnderTheirNames()
    {
        var constants = Serialise(Sheet("fsync"))["workload_constants"]!.AsObject();

        Assert.Equal(
            """{"W1_JOBS":20000,"BULK_CHUNK":1000,"W2_JOBS":20000,"W3_JOBS":5000,"W3_RATE":500,"W4_CALLERS":32,"W4_MAX_JOBS":5000,"W4_MAX_MS":20000,"COUNT_POLL_MS":20,"TIMEOUT_MS":120000}""",
            constants.ToJsonString());
    }

    [Theory]
    [InlineData("fsync")]
    [InlineData("process")]
    public void Document_Durability_IsStatedAsPersistenceSoThePeersTableShowsIt(string durability)
    {
        var json = Serialise(Sheet(durability));
        var stated = json["durability"]!.AsObject();

        Assert.Equal(["persistence", "setting"], stated.Select(p => p.Key));
        Assert.Equal((string?)stated["persistence"], ResultFiles.Durability(json));
        Assert.Equal(durability, (string?)json["settings"]!["durability"]);
    }

    [Fact]
    public void Document_Runs_CarryThePeersFieldsPerWorkload()
    {
        var workloads = Serialise(Sheet("process"))["workloads"]!.AsObject();

        Assert.Equal(WorkloadNames.All, workloads.Select(p => p.Key));
        Assert.Equal(["jobs", "seconds", "rate"], Keys(workloads["W1"]!["runs"]![0]));
        Assert.Equal(["jobs", "chunk", "seconds", "rate"], Keys(workloads["W1-bulk"]!["runs"]![0]));
        Assert.Equal(["jobs", "seconds", "rate"], Keys(workloads["W2"]!["runs"]![0]));
        Assert.Equal(["jobs", "target_rate", "achieved_rate", "max_send_lag_ms", "latency_ms"], Keys(workloads["W3"]!["runs"]![0]));
        Assert.Equal(["n", "p50", "p95", "p99", "max"], Keys(workloads["W3"]!["runs"]![0]!["latency_ms"]));
        Assert.Equal(["callers", "completed", "seconds", "rate", "wrong_results", "latency_ms"], Keys(workloads["W4"]!["runs"]![0]));
        Assert.Equal(["error"], Keys(workloads["W4"]!["runs"]![1]));
    }

    [Fact]
    public void Document_Summary_HasMedianMinMaxPerHeadlineMetricOverTheRunsThatDidNotFail()
    {
        var workloads = Serialise(Sheet("process"))["workloads"]!.AsObject();

        Assert.Equal("""{"ok_runs":2,"failed_runs":0,"rate":{"median":1500,"min":1000,"max":2000}}""", workloads["W1"]!["summary"]!.ToJsonString());
        Assert.Equal(
            ["ok_runs", "failed_runs", "latency_ms.p50", "latency_ms.p95", "latency_ms.p99", "latency_ms.max", "achieved_rate"],
            Keys(workloads["W3"]!["summary"]));
        var w4 = workloads["W4"]!["summary"]!;
        Assert.Equal(1, (int)w4["ok_runs"]!);
        Assert.Equal(1, (int)w4["failed_runs"]!);
        Assert.Equal(["ok_runs", "failed_runs", "rate", "latency_ms.p50", "latency_ms.p99"], Keys(w4));
    }

    [Fact]
    public void Columns_OurDocument_ReadAsThePeersTableReadsIt()
    {
        var json = Serialise(Sheet("fsync"));

        Assert.Equal("1,500 [1,000–2,000]", ResultColumn.Headline[0].Cell(json));
        Assert.Equal("3.50", ResultColumn.Headline[3].Cell(json));
        Assert.Equal("250 (1 run(s) failed)", ResultColumn.Headline[5].Cell(json));
        Assert.Equal("120 (1 run(s) failed)", ResultColumn.Headline[6].Cell(json));
    }

    [Fact]
    public async Task Sheet_Write_PutsOneParsableFilePerStoreAndDurability()
    {
        var folder = Directory.CreateTempSubdirectory("switchyard-benchtest-").FullName;
        try
        {
            var sheet = Sheet("process", folder);
            await sheet.WriteAsync("2026-11-23T00:00:00.000Z", TestContext.Current.CancellationToken);

            var files = Directory.GetFiles(folder);
            Assert.Equal([Path.Combine(folder, "switchyard-sqlite-process.json")], files);
            var read = Assert.Single(ResultFiles.ReadAll(folder));
            Assert.True(ResultFiles.IsSwitchyard(read));
            Assert.Equal("2026-11-23T00:00:00.000Z", (string?)read["finished_at"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static ResultSheet Sheet(string durability, string? folder = null)
    {
        var options = new PeerBenchOptions { Command = SwitchyardCommand.FromDll("switchyard.dll"), OutputDirectory = folder ?? Path.GetTempPath() };
        var sheet = new ResultSheet(options, durability, "2026-11-23T00:00:00.000Z");
        sheet.Add(WorkloadNames.W1, WorkloadRun.Throughput(20_000, TimeSpan.FromSeconds(20)));
        sheet.Add(WorkloadNames.W1, WorkloadRun.Throughput(20_000, TimeSpan.FromSeconds(10)));
        sheet.Add(WorkloadNames.W1Bulk, WorkloadRun.Throughput(20_000, TimeSpan.FromSeconds(1), 1_000));
        sheet.Add(WorkloadNames.W2, WorkloadRun.Throughput(20_000, TimeSpan.FromSeconds(2)));
        sheet.Add(WorkloadNames.W3, new WorkloadRun
        {
            Jobs = 5_000,
            TargetRate = 500,
            AchievedRate = 499.8,
            MaxSendLagMs = 4.2,
            LatencyMs = new LatencySummary(5_000, 3.5, 6, 9.25, 30),
        });
        sheet.Add(WorkloadNames.W4, new WorkloadRun
        {
            Callers = 32,
            Completed = 5_000,
            Seconds = 20,
            Rate = 250,
            WrongResults = 0,
            LatencyMs = new LatencySummary(5_000, 100, 110, 120, 150),
        });
        sheet.Add(WorkloadNames.W4, WorkloadRun.Failed("TimeoutException: W4"));
        return sheet;
    }

    private static JsonObject Serialise(ResultSheet sheet) =>
        JsonNode.Parse(JsonSerializer.Serialize(sheet.ToDocument("2026-11-23T00:01:00.000Z"), ResultJsonContext.Default.ResultDocument))!.AsObject();

    private static IEnumerable<string> Keys(JsonNode? node) => node!.AsObject().Select(p => p.Key);
}
