namespace Switchyard.Client.Contracts;

/// <summary>Body of <c>POST /api/v1/tasks/{id}/heartbeat</c>.</summary>
public sealed record HeartbeatRequest(long? LeaseToken, long? LeaseMs = null, ProgressDto? Progress = null);
