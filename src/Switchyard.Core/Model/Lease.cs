namespace Switchyard.Core.Model;

/// <summary>A claim on a running task: who holds it, the fencing token every later call must carry, and when it lapses.</summary>
public sealed record Lease(string WorkerId, long Token, DateTimeOffset ExpiresAt)
{
    /// <summary>The length the claim or the last heartbeat gave it, which a heartbeat that names none gives it again (null: not known).</summary>
    public long? LengthMs { get; init; }
}
