using System.Net.Http.Json;
using Switchyard.Client.Contracts;
using Switchyard.Storage.Conformance.Postgres;
using Switchyard.Worker;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// A cancel through one server process reaches the push worker running the task on another: the worker (the .NET
/// runtime, over a real WebSocket) is connected to node A, the cancel is posted to node B.
/// </summary>
public sealed class CancelAcrossNodesTests(SharedPostgres postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly string _schema = PostgresCluster.NewSchema();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await postgres.Cluster.DropSchemaAsync(_schema);

    [Fact]
    public async Task Cancel_PostedToB_CancelsTheHandlerOfTheWorkerOnA()
    {
        var settings = new { Cluster = new { PollMs = 60_000 } }; // a long poll: the cancel must travel by notification
        await using var a = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        await using var b = await ServerNode.StartAsync(postgres.Cluster.ConnectionString, _schema, settings, Ct);
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = new SwitchyardWorker(new SwitchyardWorkerOptions { Server = a.BaseAddress, Capacity = 1 });
        worker.Handle("echo", async (context, cancellationToken) =>
        {
            await using var told = cancellationToken.Register(() => cancelled.TrySetResult(context.TaskId));
            started.TrySetResult(context.TaskId);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return context.Payload;
        });
        _ = worker.StartAsync(Ct);

        var id = (await b.SubmitBatchAsync([new { type = "echo", payload = 1 }], Ct))[0];
        Assert.Equal(id, await started.Task.WaitAsync(Bound, Ct));
        using (var cancel = await b.Http.PostAsJsonAsync($"/api/v1/tasks/{id}/cancel", new { reason = "stop" }, Ct))
        {
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync(Ct) + a.OutputTail());
        }

        Assert.Equal(id, await cancelled.Task.WaitAsync(Bound, Ct));
        var task = await a.Http.GetFromJsonAsync($"/api/v1/tasks/{id}", ContractsJsonContext.Default.TaskDto, Ct);
        Assert.Equal("cancelled", task?.State);
    }
}
