namespace Switchyard.Core.Cluster;

/// <summary>What a node keeps in memory from the shared store (task types, queue settings): read again when another node changes it.</summary>
public interface IClusterCache
{
    Task ReloadAsync(CancellationToken cancellationToken);
}
