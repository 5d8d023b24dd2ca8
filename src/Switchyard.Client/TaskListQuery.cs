namespace Switchyard.Client;

/// <summary>Filters and paging of <c>GET /api/v1/tasks</c>; unset fields do not filter.</summary>
public sealed record TaskListQuery
{
    /// <summary>Any of these states (<c>queued</c>, <c>running</c>, ...).</summary>
    public IReadOnlyList<string>? States { get; init; }

    public string? Queue { get; init; }

    public string? Type { get; init; }

    public string? Group { get; init; }

    public string? Scope { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>Only tasks running under a lease this worker holds (a push worker's id from <c>GET /api/v1/workers</c>, a pull worker's own id).</summary>
    public string? Worker { get; init; }

    /// <summary>Every one of these labels, with these values.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Page size (server default when unset).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    public string? Cursor { get; init; }
}
