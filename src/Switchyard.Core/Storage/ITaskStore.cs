using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>
/// The engine path of a store. Every mutating call is durable when it returns, applies each move
/// only if the task is still in an expected state, writes a history row in the same transaction,
/// and reports the moves it applied so the engine can publish their events. A move that ends a task
/// (completed, failed, cancelled) resolves the tasks blocked on it in the same transaction
/// (<see cref="Engine.DependencyResolution"/>) and reports those moves as its consequences.
/// </summary>
public interface ITaskStore : IAsyncDisposable
{
    /// <summary>Applies migrations and recovers in-memory indexes from what is stored.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<Outcome<EnqueueResult>> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken);

    Task<ClaimResult> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken);

    Task<Outcome<Lease>> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken);

    Task<Outcome<AppliedTransition>> CompleteAsync(CompleteRequest request, CancellationToken cancellationToken);

    Task<Outcome<AppliedTransition>> FailAsync(FailRequest request, CancellationToken cancellationToken);

    Task<Outcome<AppliedTransition>> CancelAsync(CancelRequest request, CancellationToken cancellationToken);

    Task<Outcome<AppliedTransition>> RetryAsync(RetryRequest request, CancellationToken cancellationToken);

    /// <summary>review → completed; releases the task's dependents in the same transaction.</summary>
    Task<Outcome<AppliedTransition>> AcceptAsync(ReviewRequest request, CancellationToken cancellationToken);

    /// <summary>review → queued with the feedback and rejection count + 1, or → failed (escalated) at the task's limit.</summary>
    Task<Outcome<AppliedTransition>> RejectAsync(ReviewRequest request, CancellationToken cancellationToken);

    /// <summary>Leases tasks in review to a reviewer without moving them; returns them as leased.</summary>
    Task<IReadOnlyList<TaskRecord>> ClaimReviewAsync(ReviewClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Running tasks whose lease lapsed go back to the queue (attempt + 1) or fail when attempts are spent.</summary>
    Task<IReadOnlyList<AppliedTransition>> ExpireLeasesAsync(MaintenanceRequest request, CancellationToken cancellationToken);

    /// <summary>Scheduled tasks whose runAt has come become queued.</summary>
    Task<IReadOnlyList<AppliedTransition>> PromoteScheduledAsync(MaintenanceRequest request, CancellationToken cancellationToken);

    /// <summary>Live tasks past their deadline fail with "Task timeout".</summary>
    Task<IReadOnlyList<AppliedTransition>> FailOverdueAsync(MaintenanceRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes terminal tasks whose result has expired, with their history; returns the deleted tasks as they were.</summary>
    Task<IReadOnlyList<TaskRecord>> PurgeExpiredAsync(MaintenanceRequest request, CancellationToken cancellationToken);
}
