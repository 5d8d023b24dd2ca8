using Switchyard.Core.Types;

namespace Switchyard.Core.Engine;

/// <summary>
/// The one entry point that brings this node up to date after task types or queue settings changed through another
/// node of a shared store: the cluster layer calls <see cref="ReloadAsync"/> when it hears of such a change.
/// </summary>
public sealed class ControlsReload(TaskTypeCatalog types)
{
    /// <summary>
    /// Re-reads the stored task types into this node's <see cref="TaskTypeRegistry"/> (the defaults and payload schemas
    /// its submits apply) and wakes its claimers, so work that a resume or a raised limit released goes out at once.
    /// Idempotent, and safe at any time, also while this node changes controls itself. Queue settings need no reload:
    /// no node keeps them, the store reads them in every claim and submit. The limits claims enforce (paused queues,
    /// running limits, type concurrency, rates) never depend on what this reloads, so their correctness never waits for it.
    /// </summary>
    public Task ReloadAsync(CancellationToken cancellationToken) => types.ReloadAsync(cancellationToken);
}
