namespace Switchyard.Client.Contracts;

/// <summary>Values a task type's tasks get for the fields their submit leaves out.</summary>
public sealed record TaskTypeDefaultsDto
{
    public string? Queue { get; init; }
    public string? Group { get; init; }
    public int? Priority { get; init; }
    public long? TimeoutMs { get; init; }
    public long? LeaseMs { get; init; }
    public int? MaxAttempts { get; init; }
    public RetryDto? Retry { get; init; }
    public string? Review { get; init; }
}
