using System.Text.Json.Nodes;
using Switchyard.Bench.Workloads;

namespace Switchyard.Tests;

/// <summary>The report tool's table: best peer per metric, Switchyard beside it, and the ratio.</summary>
public sealed class ComparisonTests
{
    // As the peers' JS harness writes a result (trimmed to what the table reads).
    private const string BullMq = """
        {"system":"bullmq","label":"BullMQ / Redis (appendonly yes, everysec)","durability":{"appendonly":"yes","appendfsync":"everysec","save":"3600 1"},
         "workload_constants":{"W1_JOBS":20000,"BULK_CHUNK":1000,"W2_JOBS":20000,"W3_JOBS":5000,"W3_RATE":500,"W4_CALLERS":32,"W4_MAX_JOBS":5000,"W4_MAX_MS":20000,"COUNT_POLL_MS":20,"TIMEOUT_MS":120000},
         "workloads":{
          "W1":{"runs":[{"jobs":20000,"seconds":3.1,"rate":6393},{"jobs":20000,"seconds":3.4,"rate":5878},{"error":"W1: timed out"}]},
          "W3":{"runs":[{"jobs":5000,"achieved_rate":500,"latency_ms":{"n":5000,"p50":0.92,"p95":1.47,"p99":2.97,"max":14.8}}]},
          "W4":{"runs":[{"callers":32,"completed":5000,"rate":2982,"wrong_results":0,"latency_ms":{"n":5000,"p50":10.4,"p99":22.9}}]}}}
        """;

    // As the peers' Hangfire app writes one: no bulk API, durability as prose.
    private const string Hangfire = """
        {"system":"hangfire-postgres","label":"Hangfire / PostgreSQL (20 workers, poll 100 ms)","durability":{"fsync":"on","synchronous_commit":"on"},
         "workloads":{"W1":{"runs":[{"jobs":20000,"rate":548}]},"W1-bulk":{"runs":[],"unsupported":"Hangfire has no bulk enqueue API"},
          "W3":{"runs":[{"jobs":5000,"latency_ms":{"n":5000,"p50":8625,"p99":12058}}]},"W4":{"runs":[{"rate":244,"latency_ms":{"p50":124,"p99":349}}]}}}
        """;

    private static readonly JsonNode[] Peers = [JsonNode.Parse(BullMq)!, JsonNode.Parse(Hangfire)!];

    [Fact]
    public void Compare_Rates_BestPeerIsTheHighestMedian()
    {
        var ours = Ours();
        var w1 = PeerComparison.Compare(Peers, [ours]).Single(r => r.Column.Header == "W1 jobs/s");

        Assert.Equal("BullMQ / Redis (appendonly yes, everysec)", ResultFiles.Label(w1.BestPeer!));
        Assert.Equal(new Spread(6_135.5, 5_878, 6_393), w1.BestPeerValue);
        Assert.Equal(1_500 / 6_135.5, Assert.Single(w1.Switchyard).Ratio!.Value, 9);
    }

    [Fact]
    public void Compare_Latencies_BestPeerIsTheLowestMedian()
    {
        var rows = PeerComparison.Compare(Peers, [Ours()]);
        var p99 = rows.Single(r => r.Column.Header == "W4 p99 ms");

        Assert.Equal(22.9, p99.BestPeerValue!.Median);
        Assert.Equal(120 / 22.9, Assert.Single(p99.Switchyard).Ratio!.Value, 9);
    }

    [Fact]
    public void Compare_MetricNoPeerMeasured_HasNoBestPeerAndNoRatio()
    {
        var w2 = PeerComparison.Compare(Peers, [Ours()]).Single(r => r.Column.Header == "W2 jobs/s");

        Assert.Null(w2.BestPeer);
        Assert.Null(Assert.Single(w2.Switchyard).Ratio);
        Assert.NotNull(Assert.Single(w2.Switchyard).Value);
    }

    [Fact]
    public void Cells_PeerFiles_ShowSpreadUnsupportedAndFailures()
    {
        Assert.Equal("6,136 [5,878–6,393] (1 run(s) failed)", ResultColumn.Headline[0].Cell(Peers[0]));
        Assert.Equal("n/a", ResultColumn.Headline[1].Cell(Peers[1]));
        Assert.Equal("–", ResultColumn.Headline[1].Cell(Peers[0]));
        Assert.Equal("8,625", ResultColumn.Headline[3].Cell(Peers[1]));
        Assert.Equal("AOF, fsync everysec", ResultFiles.Durability(Peers[0]));
        Assert.Equal("fsync=on, synchronous_commit=on", ResultFiles.Durability(Peers[1]));
    }

    [Fact]
    public void Markdown_OursAndPeers_OneRowPerHeadlineMetricWithRatios()
    {
        var lines = PeerComparison.Markdown(Peers, [Ours()]).Split('\n');

        Assert.StartsWith("| Metric | Best peer |", lines[0], StringComparison.Ordinal);
        Assert.Contains("| W1 jobs/s | BullMQ / Redis (appendonly yes, everysec) | AOF, fsync everysec |", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("| 1,500 [1,000–2,000] | 0.24× |", lines[2], StringComparison.Ordinal);
        Assert.Equal(ResultColumn.Headline.Count, lines.Count(l => l.StartsWith("| W", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("Not comparable", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_OursScaledDown_SaysItIsNotComparable()
    {
        var scaled = Ours();
        scaled["workload_constants"] = JsonNode.Parse("""{"W1_JOBS":50}""");

        Assert.Contains("**Not comparable:**", PeerComparison.Markdown(Peers, [scaled]), StringComparison.Ordinal);
    }

    private static JsonNode Ours() => ResultFiles.ToJson(ResultShapeTests.Sheet("fsync").ToDocument(null));
}
