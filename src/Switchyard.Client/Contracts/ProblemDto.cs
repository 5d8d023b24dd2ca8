namespace Switchyard.Client.Contracts;

/// <summary>An <c>application/problem+json</c> error: <c>code</c> is stable, <c>detail</c> says what was wrong.</summary>
public sealed record ProblemDto
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int? Status { get; init; }
    public string? Detail { get; init; }
    public string? Code { get; init; }
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
