using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>Extends the lease of a running task held with <see cref="LeaseToken"/>, optionally recording progress.</summary>
public sealed record HeartbeatRequest(string TaskId, long LeaseToken, long? LeaseMs, long DefaultLeaseMs, TaskProgress? Progress);
