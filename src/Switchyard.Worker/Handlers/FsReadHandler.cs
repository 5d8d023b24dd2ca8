using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// <c>fs.read</c>: reads a file inside the worker's file roots, as UTF-8 text or base64, from <c>offset</c> for up to
/// <c>length</c> bytes (capped); <c>eof</c> says whether the read reached the end. See docs/worker.md.
/// </summary>
public sealed class FsReadHandler : ITaskHandler
{
    public const string TypeName = "fs.read";

    /// <summary>Most bytes of an answer: a worker frame, less room for the frame around it.</summary>
    private const int ResultBudget = WorkerSocket.MaxFrameBytes - 4096;

    private readonly FileRoots _roots;

    public FsReadHandler(FileAccessOptions options)
    {
        _roots = new FileRoots(options);
    }

    public async Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = context.PayloadAs(HandlerJson.Default.FsReadPayload);
        var base64 = FileEncodings.IsBase64(TypeName, payload.Encoding);
        var cap = _roots.Options.MaxReadBytes;
        if (payload.Offset is < 0 || payload.Length is < 0 || payload.Length > cap)
        {
            throw FileFailures.Invalid(TypeName, $"offset must not be negative and length must be 0-{cap} bytes");
        }

        var path = _roots.Resolve(payload.Path, TypeName);
        FileFailures.RequireFile(TypeName, path, payload.Path);
        var offset = payload.Offset ?? 0;
        await using var stream = FileFailures.Io(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, true),
            TypeName, path);
        var size = stream.Length;
        var wanted = (int)Math.Min(payload.Length ?? cap, Math.Max(0, size - offset));
        var buffer = new byte[wanted];
        var read = 0;
        if (wanted > 0)
        {
            stream.Position = offset;
            await stream.ReadExactlyAsync(buffer.AsMemory(0, wanted), cancellationToken);
            read = wanted;
        }

        // The answer must fit one frame once encoded (base64 adds a third, JSON escapes more): a read that would not is
        // shortened, and eof false says to go on from offset + length.
        while (true)
        {
            var json = Result(path, size, offset, buffer, read, base64);
            if (Encoding.UTF8.GetByteCount(json) <= ResultBudget || read == 0)
            {
                return new JsonText(json);
            }

            read = Shorter(buffer, read, (long)read * ResultBudget / Encoding.UTF8.GetByteCount(json) * 9 / 10, base64);
        }
    }

    private static string Result(string path, long size, long offset, byte[] buffer, int read, bool base64) => new JsonObject
    {
        ["path"] = path,
        ["size"] = size,
        ["offset"] = offset,
        ["length"] = read,
        ["eof"] = offset + read >= size,
        ["encoding"] = base64 ? "base64" : "text",
        ["content"] = base64 ? Convert.ToBase64String(buffer, 0, read) : new UTF8Encoding(false, false).GetString(buffer, 0, read),
    }.ToJsonString();

    /// <summary><paramref name="target"/> bytes (fewer than <paramref name="read"/>), not cutting a UTF-8 character in two for text.</summary>
    private static int Shorter(byte[] buffer, int read, long target, bool base64)
    {
        var length = (int)Math.Clamp(target, 0, read - 1);
        while (!base64 && length > 0 && (buffer[length] & 0xC0) == 0x80)
        {
            length--; // a continuation byte: the character starts before it
        }

        return length;
    }
}
