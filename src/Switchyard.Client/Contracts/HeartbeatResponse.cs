namespace Switchyard.Client.Contracts;

/// <summary>The extended lease.</summary>
public sealed record HeartbeatResponse(LeaseDto Lease);
