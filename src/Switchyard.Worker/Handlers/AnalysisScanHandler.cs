using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// <c>analysis.scan</c>: counts the files, lines and bytes of a folder inside the worker's file roots, per language (by
/// extension). It skips <c>.git</c>, <c>node_modules</c>, <c>bin</c> and <c>obj</c> folders, symbolic links, binary
/// files (a NUL byte in their first 8 KiB) and files over the size limit, and stops after <c>maxFiles</c>. See docs/worker.md.
/// </summary>
public sealed class AnalysisScanHandler : ITaskHandler
{
    public const string TypeName = "analysis.scan";
    private const int SniffBytes = 8192;
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "node_modules", "bin", "obj" };

    private readonly FileRoots _roots;

    public AnalysisScanHandler(FileAccessOptions options)
    {
        _roots = new FileRoots(options);
    }

    public async Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = context.PayloadAs(HandlerJson.Default.AnalysisScanPayload);
        var limit = payload.MaxFiles ?? _roots.Options.MaxAnalysisFiles;
        if (limit < 1 || limit > _roots.Options.MaxAnalysisFiles)
        {
            throw FileFailures.Invalid(TypeName, $"maxFiles must be 1-{_roots.Options.MaxAnalysisFiles}");
        }

        var folder = _roots.Resolve(payload.Path ?? ".", TypeName);
        FileFailures.RequireFolder(TypeName, folder, payload.Path);
        var tally = new AnalysisTally();
        var pending = new Stack<string>([folder]);
        while (pending.Count > 0 && !tally.Truncated)
        {
            var children = FileFailures.Io(() => new DirectoryInfo(pending.Pop()).GetFileSystemInfos(), TypeName, folder)
                .OrderByDescending(c => c.Name, StringComparer.Ordinal);
            foreach (var child in children)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (child.LinkTarget is not null)
                {
                    tally.Links++;
                }
                else if (child is DirectoryInfo)
                {
                    if (SkippedFolders.Contains(child.Name))
                    {
                        tally.SkippedFolders++;
                    }
                    else
                    {
                        pending.Push(child.FullName);
                    }
                }
                else if (child is FileInfo file)
                {
                    if (tally.Files + tally.Binary + tally.TooLarge >= limit)
                    {
                        tally.Truncated = true;
                        break;
                    }

                    await CountAsync(file, tally, cancellationToken);
                }
            }
        }

        return new JsonText(tally.ToJson(folder).ToJsonString());
    }

    private async Task CountAsync(FileInfo file, AnalysisTally tally, CancellationToken cancellationToken)
    {
        if (file.Length > _roots.Options.MaxAnalysisFileBytes)
        {
            tally.TooLarge++;
            return;
        }

        var bytes = await FileFailures.Io(() => File.ReadAllBytesAsync(file.FullName, cancellationToken), TypeName, file.FullName);
        if (bytes.AsSpan(0, Math.Min(bytes.Length, SniffBytes)).Contains((byte)0))
        {
            tally.Binary++;
            return;
        }

        var lines = bytes.AsSpan().Count((byte)'\n') + (bytes.Length > 0 && bytes[^1] != (byte)'\n' ? 1 : 0);
        tally.Add(Languages.Of(file.Name), lines, bytes.Length);
    }
}
