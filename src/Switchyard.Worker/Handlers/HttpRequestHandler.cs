using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// <c>http.request</c>: makes one HTTP call and completes with <c>{status, headers, body}</c> (a JSON body as JSON,
/// any other as a string). 408, 425, 429 and 5xx answers, timeouts and connection failures fail the attempt
/// retryable (after the answer's Retry-After); other 4xx answers fail it for good. See docs/worker.md.
/// </summary>
public sealed class HttpRequestHandler : ITaskHandler, IDisposable
{
    public const string TypeName = "http.request";
    public const int MaxResponseChars = 512 * 1024;
    public const int MaxRedirects = 20;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;

    /// <param name="http">The client to call with (kept by the caller); a new one when null.</param>
    public HttpRequestHandler(HttpClient? http = null, TimeProvider? timeProvider = null)
    {
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxAutomaticRedirections = MaxRedirects })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _time = timeProvider ?? TimeProvider.System;
    }

    public async Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = context.PayloadAs(HandlerJson.Default.HttpRequestPayload);
        using var request = Request(payload);
        var timeout = payload.TimeoutMs is > 0 and var ms ? TimeSpan.FromMilliseconds(ms) : DefaultTimeout;
        using var limit = new CancellationTokenSource(timeout, _time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var target = $"{request.Method} {HttpFailures.Safe(request.RequestUri)}";
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, call.Token);
            var body = await HttpBodies.ReadTextAsync(response.Content, MaxResponseChars, call.Token);
            var result = Result(response, body);
            if (_ownsHttp && (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                // The client follows redirects: one it hands back was not followed (a loop, more than it follows, or a
                // step from https down to http), so the call did not reach an answer.
                throw new TaskFailedException("redirect_not_followed",
                    $"{target} ended at a {(int)response.StatusCode} redirect to {HttpFailures.Safe(new Uri(response.RequestMessage?.RequestUri ?? request.RequestUri!, location))} " +
                    $"that was not followed (more than {MaxRedirects} redirects, a loop, or from https to http).",
                    ErrorKind.Fatal, details: result);
            }

            if ((int)response.StatusCode >= 400)
            {
                throw HttpFailures.ForStatus(response, $"{target} answered {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd(), result, _time);
            }

            return result;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TaskFailedException("timeout", $"{target} did not answer within {timeout.TotalMilliseconds:0} ms.", ErrorKind.Retryable, innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TaskFailedException("http_error", $"{target} failed: {ex.Message}", ErrorKind.Retryable, innerException: ex);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static HttpRequestMessage Request(HttpRequestPayload payload)
    {
        if (!Uri.TryCreate(payload.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw Invalid($"url must be an absolute http or https address, not '{payload.Url}'");
        }

        HttpMethod method;
        try
        {
            method = new HttpMethod((payload.Method ?? "GET").ToUpperInvariant());
        }
        catch (FormatException)
        {
            throw Invalid($"'{payload.Method}' is not an HTTP method");
        }

        var request = new HttpRequestMessage(method, url) { Content = Body(payload.Body) };
        foreach (var (name, value) in payload.Headers ?? [])
        {
            if (request.Headers.TryAddWithoutValidation(name, value))
            {
                continue;
            }

            if (request.Content is null)
            {
                continue; // a content header (Content-Type, say) without a body
            }

            request.Content.Headers.Remove(name);
            if (!request.Content.Headers.TryAddWithoutValidation(name, value))
            {
                request.Dispose();
                throw Invalid($"header '{name}' cannot be set");
            }
        }

        return request;
    }

    private static StringContent? Body(JsonElement? body) => body switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } text => new StringContent(text.GetString()!, Encoding.UTF8, "text/plain"),
        { } json => new StringContent(json.GetRawText(), Encoding.UTF8, "application/json"),
    };

    private static JsonText Result(HttpResponseMessage response, string body)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values);
        }

        JsonNode? parsed = body;
        if (HttpBodies.IsJson(response.Content.Headers.ContentType?.MediaType) && body.Length > 0)
        {
            try
            {
                parsed = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the text.
            }
        }

        var result = new JsonObject { ["status"] = (int)response.StatusCode, ["headers"] = headers, ["body"] = parsed };
        return new JsonText(result.ToJsonString());
    }

    private static TaskFailedException Invalid(string message) => new("invalid_payload", $"http.request: {message}", ErrorKind.Fatal);
}
