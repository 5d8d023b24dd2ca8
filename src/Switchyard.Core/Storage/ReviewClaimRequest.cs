namespace Switchyard.Core.Storage;

/// <summary>
/// Leases up to <see cref="MaxTasks"/> tasks in review that no reviewer holds, oldest first, without moving them:
/// until the lease lapses only its holder may accept or reject them.
/// </summary>
/// <param name="Types">Only these task types; empty means any.</param>
public sealed record ReviewClaimRequest(string ReviewerId, IReadOnlyList<string> Queues, IReadOnlyList<string> Types, int MaxTasks, long LeaseMs);
