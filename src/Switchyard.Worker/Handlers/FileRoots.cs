using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// The folders the file handlers may use. A task's path is made absolute (a relative one from the first root), <c>..</c>
/// folded, every symbolic link resolved, and then it must lie inside a root's real path; anything else fails the task
/// as fatal <c>path_outside_roots</c>.
/// </summary>
internal sealed class FileRoots
{
    public const string OutsideCode = "path_outside_roots";
    private static readonly StringComparison Comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    private readonly string[] _roots;

    public FileRoots(FileAccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _roots = options.Roots.Select(root =>
        {
            var real = RealPath.Resolve(root);
            return Directory.Exists(real) ? real.TrimEnd(Path.DirectorySeparatorChar) : throw new ArgumentException($"File root '{root}' is not a folder.", nameof(options));
        }).ToArray();
    }

    public FileAccessOptions Options { get; }

    /// <summary>The real path of <paramref name="path"/> inside a root, or a fatal failure naming the payload field.</summary>
    public string Resolve(string? path, string type, string field = "path")
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new TaskFailedException("invalid_payload", $"{type}: {field} is required (a path inside the worker's file roots).", ErrorKind.Fatal);
        }

        string real;
        try
        {
            real = RealPath.Resolve(Path.IsPathRooted(path) ? path : Path.Join(_roots[0], path));
        }
        catch (IOException ex)
        {
            throw new TaskFailedException(OutsideCode, $"{type}: '{path}' cannot be resolved: {ex.Message}", ErrorKind.Fatal, innerException: ex);
        }

        if (!_roots.Any(root => IsInside(real, root)))
        {
            throw new TaskFailedException(OutsideCode,
                $"{type}: '{path}' is outside the worker's file roots (after resolving '..' and symbolic links); nothing was touched.", ErrorKind.Fatal);
        }

        return real;
    }

    /// <summary>Whether <paramref name="real"/> (already resolved) is a root or below one.</summary>
    public bool Contains(string real) => _roots.Any(root => IsInside(real, root));

    private static bool IsInside(string path, string root) =>
        string.Equals(path, root, Comparison)
        || (path.Length > root.Length && path.StartsWith(root, Comparison) && path[root.Length] == Path.DirectorySeparatorChar)
        || (root.Length == 1 && root[0] == Path.DirectorySeparatorChar);
}
