using System.Net.Http.Json;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Server.Tests.WebSockets;

namespace Switchyard.Server.Tests;

/// <summary><c>/metrics</c> carries the tasks' moves, durations and queue depths and the connected workers, besides the bus.</summary>
public sealed class TaskMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_AfterMoves_CountsDurationsQueueDepthsAndWorkers()
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { type = "echo", queue = "q" });
        await server.SubmitAsync(new { type = "echo", queue = "q" });
        var claimed = await server.ClaimAsync(new ClaimTasksRequest { WorkerId = "pull", Queues = ["q"], MaxTasks = 2 });
        Assert.Equal(2, claimed.Tasks.Count);
        var (done, failed) = (claimed.Tasks[0], claimed.Tasks[1]);
        (await server.Http.PostAsJsonAsync($"/api/v1/tasks/{done.Id}/complete", new { leaseToken = done.Lease!.Token, result = 1 }, Ct)).EnsureSuccessStatusCode();
        (await server.Http.PostAsJsonAsync($"/api/v1/tasks/{failed.Id}/fail",
            new { leaseToken = failed.Lease!.Token, error = new { message = "no", kind = "fatal", code = "nope" } }, Ct)).EnsureSuccessStatusCode();
        await server.SubmitAsync(new { type = "echo", queue = "q" });
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Types = ["other"] });

        using var response = await server.Http.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        response.EnsureSuccessStatusCode();
        Assert.Contains("switchyard_tasks_moves_total{event=\"task.queued\",queue=\"q\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_tasks_moves_total{event=\"task.started\",queue=\"q\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_tasks_moves_total{event=\"task.completed\",queue=\"q\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_tasks_moves_total{event=\"task.failed\",queue=\"q\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_tasks_attempt_duration_seconds_count{event=\"task.completed\",queue=\"q\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_tasks_attempt_duration_seconds_count{event=\"task.failed\",queue=\"q\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_tasks_latency_seconds_count{queue=\"q\",state=\"completed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_tasks_latency_seconds_count{queue=\"q\",state=\"failed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_queue_tasks{queue=\"q\",state=\"queued\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_queue_tasks{queue=\"q\",state=\"completed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_workers_connected{protocol=\"switchyard/1\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchyard_tasks_moves_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# HELP switchyard_tasks_moves_total Task moves this node applied, per queue and event\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchyard_tasks_latency_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchyard_queue_tasks gauge", text, StringComparison.Ordinal);
        Assert.DoesNotContain("`1", text, StringComparison.Ordinal); // no .NET type names in the help
        Assert.DoesNotContain("meteradapter", text, StringComparison.Ordinal);
    }
}
