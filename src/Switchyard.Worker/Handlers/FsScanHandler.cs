using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// <c>fs.scan</c>: lists a folder inside the worker's file roots (names, types, sizes, modification times), entering
/// sub-folders down to <c>depth</c> in name order. Symbolic links are listed, never followed. See docs/worker.md.
/// </summary>
public sealed class FsScanHandler : ITaskHandler
{
    public const string TypeName = "fs.scan";
    public const int MaxDepth = 64;

    private readonly FileRoots _roots;

    public FsScanHandler(FileAccessOptions options)
    {
        _roots = new FileRoots(options);
    }

    public Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = context.PayloadAs(HandlerJson.Default.FsScanPayload);
        var depth = payload.Depth ?? 0;
        var limit = payload.MaxEntries ?? _roots.Options.MaxScanEntries;
        if (depth is < 0 or > MaxDepth || limit < 1 || limit > _roots.Options.MaxScanEntries)
        {
            throw FileFailures.Invalid(TypeName, $"depth must be 0-{MaxDepth} and maxEntries 1-{_roots.Options.MaxScanEntries}");
        }

        var folder = _roots.Resolve(payload.Path ?? ".", TypeName);
        FileFailures.RequireFolder(TypeName, folder, payload.Path);
        var glob = string.IsNullOrEmpty(payload.Glob) ? null : Glob.Parse(payload.Glob);
        var entries = new JsonArray();
        var truncated = false;
        var pending = new Stack<(string Path, string Relative, int Level)>();
        pending.Push((folder, string.Empty, 0));
        while (pending.Count > 0 && !truncated)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (path, relative, level) = pending.Pop();
            var children = FileFailures.Io(() => new DirectoryInfo(path).GetFileSystemInfos(), TypeName, path)
                .OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
            var folders = new List<(string, string, int)>();
            foreach (var child in children)
            {
                var childRelative = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                var isLink = child.LinkTarget is not null;
                if (glob is null || glob.Matches(childRelative))
                {
                    if (entries.Count == limit)
                    {
                        truncated = true;
                        break;
                    }

                    entries.Add(Entry(child, childRelative, isLink));
                }

                if (!isLink && child is DirectoryInfo && level < depth)
                {
                    folders.Add((child.FullName, childRelative, level + 1));
                }
            }

            for (var i = folders.Count - 1; i >= 0; i--)
            {
                pending.Push(folders[i]);
            }
        }

        var result = new JsonObject { ["path"] = folder, ["count"] = entries.Count, ["truncated"] = truncated, ["entries"] = entries };
        return Task.FromResult(new JsonText(result.ToJsonString()));
    }

    private static JsonObject Entry(FileSystemInfo info, string relative, bool isLink)
    {
        var entry = new JsonObject
        {
            ["path"] = relative,
            ["name"] = info.Name,
            ["type"] = isLink ? "symlink" : info is DirectoryInfo ? "directory" : "file",
        };
        if (!isLink && info is FileInfo file)
        {
            entry["size"] = file.Length;
        }

        entry["modified"] = info.LastWriteTimeUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return entry;
    }
}
