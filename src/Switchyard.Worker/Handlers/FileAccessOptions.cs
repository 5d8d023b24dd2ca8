namespace Switchyard.Worker.Handlers;

/// <summary>Where the file handlers (<c>fs.scan</c>, <c>fs.read</c>, <c>fs.write</c>, <c>analysis.scan</c>) may reach, and their limits.</summary>
public sealed record FileAccessOptions
{
    public const string RootsVariable = "SWITCHYARD_FS_ROOTS";
    public const int DefaultMaxReadBytes = 1024 * 1024;
    public const int DefaultMaxWriteBytes = 10 * 1024 * 1024;
    public const int DefaultMaxScanEntries = 10_000;
    public const int DefaultMaxAnalysisFiles = 10_000;
    public const int DefaultMaxAnalysisFileBytes = 1024 * 1024;

    /// <summary>
    /// Folders the handlers may touch, with everything below them. A relative task path is read from the first.
    /// Symbolic links are followed only when where they lead is inside a root too.
    /// </summary>
    public IReadOnlyList<string> Roots { get; init; } = [];

    /// <summary>Most bytes one <c>fs.read</c> returns.</summary>
    public int MaxReadBytes { get; init; } = DefaultMaxReadBytes;

    /// <summary>Most bytes one <c>fs.write</c> writes.</summary>
    public int MaxWriteBytes { get; init; } = DefaultMaxWriteBytes;

    /// <summary>Most entries one <c>fs.scan</c> lists (a payload may ask for fewer).</summary>
    public int MaxScanEntries { get; init; } = DefaultMaxScanEntries;

    /// <summary>Most files one <c>analysis.scan</c> reads (a payload may ask for fewer).</summary>
    public int MaxAnalysisFiles { get; init; } = DefaultMaxAnalysisFiles;

    /// <summary>Files larger than this are counted as too large by <c>analysis.scan</c>, not read.</summary>
    public int MaxAnalysisFileBytes { get; init; } = DefaultMaxAnalysisFileBytes;

    /// <summary>Roots from <c>SWITCHYARD_FS_ROOTS</c> (separated by the platform's path separator, ':' on Unix).</summary>
    public static FileAccessOptions FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var roots = getVariable(RootsVariable)?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new FileAccessOptions { Roots = roots };
    }

    public void Validate()
    {
        if (Roots.Count == 0)
        {
            throw new ArgumentException($"The file handlers need at least one root folder (--fs-root, or {RootsVariable}).", nameof(Roots));
        }

        if (MaxReadBytes < 1 || MaxWriteBytes < 1 || MaxScanEntries < 1 || MaxAnalysisFiles < 1 || MaxAnalysisFileBytes < 1)
        {
            throw new ArgumentException("The file handlers' limits must be positive.");
        }
    }
}
