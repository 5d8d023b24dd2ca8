using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// <c>fs.write</c>: writes a file inside the worker's file roots. <c>create</c> and <c>overwrite</c> write a temporary
/// file beside the target, flush it to disk and rename it over the target, so a reader sees the old file or the whole new
/// one; <c>append</c> appends in place. See docs/worker.md.
/// </summary>
public sealed class FsWriteHandler : ITaskHandler
{
    public const string TypeName = "fs.write";

    private readonly FileRoots _roots;

    public FsWriteHandler(FileAccessOptions options)
    {
        _roots = new FileRoots(options);
    }

    public async Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = context.PayloadAs(HandlerJson.Default.FsWritePayload);
        var mode = payload.Mode ?? "overwrite";
        if (mode is not ("create" or "overwrite" or "append"))
        {
            throw FileFailures.Invalid(TypeName, $"mode must be create, overwrite or append, not '{payload.Mode}'");
        }

        var bytes = Bytes(payload);
        var path = _roots.Resolve(payload.Path, TypeName);
        if (Directory.Exists(path))
        {
            throw new TaskFailedException("not_a_file", $"{TypeName}: '{payload.Path}' is a folder.", ErrorKind.Fatal);
        }

        if (mode == "create" && File.Exists(path))
        {
            throw new TaskFailedException("file_exists", $"{TypeName}: '{payload.Path}' exists and mode is create.", ErrorKind.Fatal);
        }

        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            if (payload.CreateParents != true)
            {
                throw new TaskFailedException("not_found", $"{TypeName}: the folder of '{payload.Path}' does not exist (set createParents).", ErrorKind.Fatal);
            }

            FileFailures.Io(() => Directory.CreateDirectory(folder), TypeName, folder);
        }

        var created = !File.Exists(path);
        if (mode == "append")
        {
            await using var stream = FileFailures.Io(() => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, true), TypeName, path);
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        else
        {
            await ReplaceAsync(path, bytes, mode == "overwrite", cancellationToken);
        }

        var result = new JsonObject
        {
            ["path"] = path,
            ["mode"] = mode,
            ["bytesWritten"] = bytes.Length,
            ["size"] = new FileInfo(path).Length,
            ["created"] = created,
        };
        return new JsonText(result.ToJsonString());
    }

    private byte[] Bytes(FsWritePayload payload)
    {
        if (payload.Content is null)
        {
            throw FileFailures.Invalid(TypeName, "content is required (a string; base64 with encoding base64)");
        }

        byte[] bytes;
        try
        {
            bytes = FileEncodings.IsBase64(TypeName, payload.Encoding) ? Convert.FromBase64String(payload.Content) : Encoding.UTF8.GetBytes(payload.Content);
        }
        catch (FormatException ex)
        {
            throw new TaskFailedException("invalid_payload", $"{TypeName}: content is not base64: {ex.Message}", ErrorKind.Fatal, innerException: ex);
        }

        return bytes.Length <= _roots.Options.MaxWriteBytes
            ? bytes
            : throw new TaskFailedException("too_large", $"{TypeName}: {bytes.Length} bytes is over the worker's limit of {_roots.Options.MaxWriteBytes}.", ErrorKind.Fatal);
    }

    /// <summary>Temporary file beside the target, flushed to disk, then renamed over it (or onto a free name).</summary>
    private static async Task ReplaceAsync(string path, byte[] bytes, bool overwrite, CancellationToken cancellationToken)
    {
        var temporary = Path.Join(Path.GetDirectoryName(path), $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = FileFailures.Io(() => new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, true),
                             TypeName, temporary))
            {
                await stream.WriteAsync(bytes, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            FileFailures.Io(() =>
            {
                try
                {
                    File.Move(temporary, path, overwrite);
                    return true;
                }
                catch (IOException) when (!overwrite && File.Exists(path))
                {
                    throw new TaskFailedException("file_exists", $"{TypeName}: '{path}' appeared while it was written and mode is create.", ErrorKind.Fatal);
                }
            }, TypeName, path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
