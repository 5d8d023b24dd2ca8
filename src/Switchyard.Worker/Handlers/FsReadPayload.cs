namespace Switchyard.Worker.Handlers;

/// <summary>
/// Payload of <c>fs.read</c>: <c>path</c> (a file), <c>encoding</c> (<c>text</c>, UTF-8, the default, or <c>base64</c>),
/// <c>offset</c> (bytes to skip, default 0), <c>length</c> (bytes to read; default and cap: the worker's limit).
/// </summary>
internal sealed record FsReadPayload
{
    public string? Path { get; init; }

    public string? Encoding { get; init; }

    public long? Offset { get; init; }

    public int? Length { get; init; }
}
