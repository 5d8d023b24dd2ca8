namespace Switchyard.Worker.Handlers;

/// <summary>
/// Where a path really leads: every symbolic link along it is replaced by its target (recursively), like
/// <c>realpath</c>. Components that do not exist yet are kept as written (they cannot be links).
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40;

    public static string Resolve(string path) => Resolve(Path.GetFullPath(path), 0);

    private static string Resolve(string full, int links)
    {
        var root = Path.GetPathRoot(full) ?? "/";
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Join(current, parts[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (links >= MaxLinks)
                {
                    throw new IOException($"Too many levels of symbolic links at '{next}'.");
                }

                current = Resolve(Path.GetFullPath(target, current), links + 1);
                continue;
            }

            if (!info.Exists && !Directory.Exists(next))
            {
                return Path.Join([current, .. parts[i..]]);
            }

            current = next;
        }

        return current;
    }
}
