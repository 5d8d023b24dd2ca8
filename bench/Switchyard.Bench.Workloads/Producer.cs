using Switchyard.Client;
using Switchyard.Client.Contracts;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// The bench's producer and completion observer: the .NET client over REST (<see cref="SwitchyardClient"/>, one
/// pooled HttpClient). Completion is observed with the server's own waits: <c>GET /api/v1/tasks/{id}?wait=</c>
/// (a long-poll that answers when the task settles) and <c>POST /api/v1/tasks?wait=true</c>.
/// </summary>
internal sealed class Producer(Uri server) : IDisposable
{
    private static readonly TimeSpan WatchWait = TimeSpan.FromSeconds(60);
    private readonly SwitchyardClient _client = new(server);

    /// <summary>Submits task <paramref name="i"/> without waiting (202); returns its id.</summary>
    public async Task<string> EnqueueAsync(string queue, int i, CancellationToken cancellationToken) =>
        (await _client.SubmitAsync(BenchTasks.Task(queue, i), SubmitWait.None, cancellationToken)).Task.Id;

    /// <summary>Submits tasks <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1 in one batch call.</summary>
    public async Task EnqueueBulkAsync(string queue, int start, int count, CancellationToken cancellationToken)
    {
        var tasks = new SubmitTaskRequest[count];
        for (var k = 0; k < count; k++)
        {
            tasks[k] = BenchTasks.Task(queue, start + k);
        }

        await _client.SubmitBatchAsync(tasks, cancellationToken);
    }

    /// <summary>Submits task <paramref name="i"/> and waits in the same call until it settles; returns the finished task.</summary>
    public async Task<TaskDto> CallAsync(string queue, int i, CancellationToken cancellationToken)
    {
        var task = (await _client.SubmitAsync(BenchTasks.Task(queue, i), SubmitWait.UntilSettled, cancellationToken)).Task;
        return Completed(task);
    }

    /// <summary>Returns once task <paramref name="id"/> has settled (long-polling the server); throws when it did not complete.</summary>
    public async Task WatchAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var task = await _client.GetAsync(id, WatchWait, cancellationToken);
            if (task.State is not ("queued" or "running" or "scheduled" or "blocked"))
            {
                Completed(task);
                return;
            }
        }
    }

    /// <summary>How many tasks of <paramref name="queue"/> storage shows as completed.</summary>
    public async Task<long> CompletedCountAsync(string queue, CancellationToken cancellationToken) =>
        (await _client.GetQueueAsync(queue, cancellationToken)).Counts.GetValueOrDefault("completed");

    public void Dispose() => _client.Dispose();

    private static TaskDto Completed(TaskDto task) => task.State == "completed"
        ? task
        : throw new InvalidOperationException($"task {task.Id} ended {task.State}: {task.Error?.Code} {task.Error?.Message}");
}
