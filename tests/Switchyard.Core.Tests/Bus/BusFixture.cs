using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Cluster;
using Switchyard.Core.Events;
using Switchyard.Core.Model;

namespace Switchyard.Core.Tests.Bus;

/// <summary>A bus on a fake clock, and tasks to publish on it.</summary>
internal static class BusFixture
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TaskEventHub Hub(FakeTimeProvider time, int capacity = EventBusOptions.CapacityDefault, int progressIntervalMs = 100, bool shared = false) =>
        new(Options.Create(new EventBusOptions { Capacity = capacity, ProgressIntervalMs = progressIntervalMs }), time,
            cluster: shared ? new SharedStoreBus() : SingleNodeBus.Instance);

    public static TaskRecord Task(
        string id, TaskState state = TaskState.Queued, string queue = "default", string? correlationId = null,
        string scope = "default", IReadOnlyDictionary<string, string>? labels = null, long leaseToken = 1) => new()
        {
            Id = id,
            Type = "test.echo",
            Queue = queue,
            State = state,
            CorrelationId = correlationId,
            Scope = scope,
            Labels = labels ?? TaskDefaults.NoLabels,
            Lease = state == TaskState.Running ? new Lease("w1", leaseToken, TestTasks.T0.AddSeconds(30)) : null,
            Result = state is TaskState.Completed or TaskState.Review ? new JsonText("{\"ok\":true}") : null,
            CreatedAt = TestTasks.T0,
            UpdatedAt = TestTasks.T0,
        };

    /// <summary>Everything the subscription holds now.</summary>
    public static List<EventDelivery> Drain(TaskEventSubscription subscription)
    {
        var items = new List<EventDelivery>();
        while (subscription.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }

    public static List<TaskEvent> Read(TaskEventSubscription subscription) =>
        Drain(subscription).Select(d => d.Event ?? throw new InvalidOperationException($"unexpected notice {d.Notice}")).ToList();
}

/// <summary>What a node of a cluster tells its bus: other nodes share the store (nothing is sent anywhere in these tests).</summary>
internal sealed class SharedStoreBus : IClusterBus
{
    public string NodeId => "test-node";

    public bool RoundTrip => false;

    public bool Shared => true;

    public void SendProgress(string taskId, long leaseToken, TaskProgress progress)
    {
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void SendControlsChanged()
    {
    }

    public Task SendWorkerCommandAsync(WorkerCommand command, CancellationToken cancellationToken) => Task.CompletedTask;
}
