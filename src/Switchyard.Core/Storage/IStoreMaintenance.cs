namespace Switchyard.Core.Storage;

/// <summary>
/// Administration of a store itself, for the server's own <c>db.maintenance</c> tasks: compacting it and deleting old
/// finished tasks. Never on the engine's hot path; every call is bounded.
/// </summary>
public interface IStoreMaintenance
{
    /// <summary>Compacts the store and refreshes its query statistics; says how big it was before and after.</summary>
    Task<VacuumResult> VacuumStoreAsync(VacuumRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <see cref="PurgeFinishedRequest.MaxTasks"/> finished tasks (completed, failed or cancelled) that
    /// finished at or before <see cref="PurgeFinishedRequest.FinishedBefore"/>, with their history; returns how many.
    /// </summary>
    Task<int> PurgeFinishedAsync(PurgeFinishedRequest request, CancellationToken cancellationToken);
}
