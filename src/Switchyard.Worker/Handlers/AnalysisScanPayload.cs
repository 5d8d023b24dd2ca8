namespace Switchyard.Worker.Handlers;

/// <summary>
/// Payload of <c>analysis.scan</c>: <c>path</c> (a folder; default the first root), <c>maxFiles</c> (files read at most;
/// default and cap: the worker's limit).
/// </summary>
internal sealed record AnalysisScanPayload
{
    public string? Path { get; init; }

    public int? MaxFiles { get; init; }
}
