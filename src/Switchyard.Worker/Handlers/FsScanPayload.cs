namespace Switchyard.Worker.Handlers;

/// <summary>
/// Payload of <c>fs.scan</c>: <c>path</c> (a folder; default the first root), <c>glob</c> (only entries it matches),
/// <c>depth</c> (levels below the folder to enter; default 0, at most 64), <c>maxEntries</c> (default and cap: the
/// worker's limit).
/// </summary>
internal sealed record FsScanPayload
{
    public string? Path { get; init; }

    public string? Glob { get; init; }

    public int? Depth { get; init; }

    public int? MaxEntries { get; init; }
}
