using System.Text.Json;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// Payload of <c>http.request</c>: <c>url</c> (http or https), <c>method</c> (default GET), <c>headers</c>,
/// <c>body</c> (a string is sent as it is, any other JSON value as JSON), <c>timeoutMs</c> (default 30 s).
/// </summary>
internal sealed record HttpRequestPayload
{
    public string? Method { get; init; }

    public string? Url { get; init; }

    public Dictionary<string, string>? Headers { get; init; }

    public JsonElement? Body { get; init; }

    public long? TimeoutMs { get; init; }
}
