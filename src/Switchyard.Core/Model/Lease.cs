namespace Switchyard.Core.Model;

/// <summary>A claim on a running task: who holds it, the fencing token every later call must carry, and when it lapses.</summary>
public sealed record Lease(string WorkerId, long Token, DateTimeOffset ExpiresAt);
