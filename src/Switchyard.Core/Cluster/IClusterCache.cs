namespace Switchyard.Core.Cluster;

/// <summary>
/// What a node keeps in memory from the shared store (task types, queue settings, the other nodes' push workers): read again
/// when another node changes it, and on every round of the polling fallback.
/// </summary>
public interface IClusterCache
{
    Task ReloadAsync(CancellationToken cancellationToken);
}
