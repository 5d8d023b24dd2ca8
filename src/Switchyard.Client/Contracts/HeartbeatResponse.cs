using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>The extended lease.</summary>
public sealed record HeartbeatResponse([property: JsonRequired] LeaseDto Lease);
