namespace Switchyard.Core.Storage;

/// <summary>
/// Claim up to <see cref="MaxTasks"/> queued tasks for a worker: highest priority first, then oldest.
/// A task in group "default" may go to any worker; another group only to a worker that lists it.
/// </summary>
/// <param name="Types">Only these task types; empty means any.</param>
/// <param name="LeaseMs">Lease length; null uses the task's own lease length, else <see cref="DefaultLeaseMs"/>.</param>
public sealed record ClaimRequest(
    string WorkerId,
    IReadOnlyList<string> Queues,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Types,
    int MaxTasks,
    long? LeaseMs,
    long DefaultLeaseMs);
