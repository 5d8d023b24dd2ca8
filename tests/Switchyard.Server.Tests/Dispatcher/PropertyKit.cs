using CsCheck;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Server.Tests.WebSockets;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>Shared moves of the property tests: run the cases, park a worker, clean up between cases.</summary>
internal static class PropertyKit
{
    public const int Cases = 100;

    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Runs <see cref="Cases"/> cases one after another against the same server.</summary>
    public static Task CheckAsync<T>(this Gen<T> gen, Func<T, Task> property, Func<T, string>? print = null) =>
        gen.SampleAsync(property, iter: Cases, threads: 1, print: print).WaitAsync(TimeSpan.FromMinutes(2), Ct);

    /// <summary>A native worker on a queue the dialect never uses: a worker is connected, yet it takes nothing.</summary>
    public static Task<TestWorker> ParkAsync(DialectServer server) =>
        TestWorker.ConnectAsync(server.Server, new HelloMessage { Name = "parked", Queues = ["parked"] });

    /// <summary>Stops pushes to <paramref name="worker"/> at once (quiet), then disconnects it.</summary>
    public static async Task RetireAsync(DialectServer server, DialectWorker worker)
    {
        (await server.Server.Http.PostAsync($"/api/v1/workers/{worker.WorkerId}/quiet", null, Ct)).EnsureSuccessStatusCode();
        await worker.DisposeAsync();
    }

    /// <summary>Cancels every queued task, so the next case starts with an empty queue.</summary>
    public static async Task EmptyQueueAsync(DialectServer server)
    {
        var queued = await server.Broker.ListAsync(new TaskQuery { States = [TaskState.Queued], Limit = TaskQuery.MaxLimit }, Ct);
        foreach (var task in queued.Tasks)
        {
            await server.Broker.CancelAsync(task.Id, "next case", "test", Ct);
        }
    }

    public static async Task<long> QueuedAsync(DialectServer server) =>
        (await server.Broker.QueueStatsAsync(Ct)).SingleOrDefault(s => s.Queue == TaskDefaults.Queue)?.Count(TaskState.Queued) ?? 0;

    /// <summary>Completes when a task of <paramref name="group"/> is next stored as queued.</summary>
    public static async Task<TaskRecord> NextQueuedAsync(DialectServer server, string group, Func<Task> trigger)
    {
        var queued = new TaskCompletionSource<TaskRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnMoved(AppliedTransition move)
        {
            if (move.Task.Group == group && move.Task.State == TaskState.Queued)
            {
                queued.TrySetResult(move.Task);
            }
        }

        server.Broker.Moved += OnMoved;
        try
        {
            await trigger();
            return await queued.Task.WaitAsync(Bound, Ct);
        }
        finally
        {
            server.Broker.Moved -= OnMoved;
        }
    }

    public static async Task<WorkerDto> WorkerAsync(DialectServer server, string workerId) =>
        Assert.Single(await server.WorkersAsync(), w => w.Id == workerId);

    public static string Status(this DialectAnswer answer) => answer.State!;
}
