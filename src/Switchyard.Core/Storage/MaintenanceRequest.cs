namespace Switchyard.Core.Storage;

/// <summary>One sweep of a maintenance job, bounded to <see cref="MaxTasks"/> tasks.</summary>
public sealed record MaintenanceRequest(int MaxTasks, long ResultTtlMs, double JitterSample = 0.5);
