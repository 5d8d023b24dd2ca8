using Switchyard.Core.Model;

namespace Switchyard.Core.Cluster;

/// <summary>The bus of a node alone on its store: nothing to send, and the broker publishes its events itself.</summary>
public sealed class SingleNodeBus : IClusterBus
{
    public static SingleNodeBus Instance { get; } = new();

    public string NodeId => "single";

    public bool RoundTrip => false;

    public bool Shared => false;

    public void SendProgress(string taskId, long leaseToken, TaskProgress progress)
    {
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void SendControlsChanged()
    {
    }

    public Task SendWorkerCommandAsync(WorkerCommand command, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"A node alone on its store has no other node to send to (worker {command.WorkerId}).");
}
