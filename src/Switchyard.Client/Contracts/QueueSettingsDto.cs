namespace Switchyard.Client.Contracts;

/// <summary>
/// A queue's stored controls. <c>maxLength</c> overrides the configured limit (0 = none); the weights share the queue among
/// scopes (tenants), and, when set, among a scope's groups of equal priority; 1 for any not listed.
/// </summary>
public sealed record QueueSettingsDto
{
    public bool Paused { get; init; }
    public int? MaxLength { get; init; }
    public int? MaxRunning { get; init; }
    public RateLimitDto? Rate { get; init; }
    public IReadOnlyDictionary<string, RateLimitDto>? GroupRates { get; init; }
    public IReadOnlyDictionary<string, int>? ScopeWeights { get; init; }
    public IReadOnlyDictionary<string, int>? GroupWeights { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
}
