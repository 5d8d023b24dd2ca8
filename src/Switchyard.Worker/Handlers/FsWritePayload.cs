namespace Switchyard.Worker.Handlers;

/// <summary>
/// Payload of <c>fs.write</c>: <c>path</c>, <c>content</c> (a string), <c>encoding</c> (<c>text</c> or <c>base64</c>),
/// <c>mode</c> (<c>create</c>: fail if it exists; <c>overwrite</c>, the default; <c>append</c>), <c>createParents</c>
/// (make missing folders; default false).
/// </summary>
internal sealed record FsWritePayload
{
    public string? Path { get; init; }

    public string? Content { get; init; }

    public string? Encoding { get; init; }

    public string? Mode { get; init; }

    public bool? CreateParents { get; init; }
}
