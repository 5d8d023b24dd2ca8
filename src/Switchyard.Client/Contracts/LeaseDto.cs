namespace Switchyard.Client.Contracts;

/// <summary>A lease: every heartbeat, complete and fail must carry its <c>token</c>.</summary>
public sealed record LeaseDto(string WorkerId, long Token, DateTimeOffset ExpiresAt);
