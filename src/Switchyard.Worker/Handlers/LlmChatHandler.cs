using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// <c>llm.chat</c>: sends <c>{model, messages, ...data}</c> to an OpenAI-compatible provider's
/// <c>/chat/completions</c> and completes with its <c>chat.completion</c>. With <c>data.stream: true</c> it streams:
/// each <c>chat.completion.chunk</c> is reported as progress (<c>data</c> = the chunk) as it arrives, and the task
/// completes with the assembled <c>chat.completion</c>. 429 and 5xx answers and timeouts are retryable (after the
/// provider's Retry-After); 401/403 need someone to fix the key (user_actionable); other 4xx are fatal.
/// </summary>
public sealed class LlmChatHandler : ITaskHandler, IDisposable
{
    public const string TypeName = "llm.chat";
    public const int MaxResponseChars = 900 * 1024;

    private readonly LlmOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;

    /// <param name="options">The provider; <see cref="LlmOptions.FromEnvironment"/> when null.</param>
    /// <param name="http">The client to call with (kept by the caller); a new one when null.</param>
    public LlmChatHandler(LlmOptions? options = null, HttpClient? http = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? LlmOptions.FromEnvironment();
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _time = timeProvider ?? TimeProvider.System;
    }

    public async Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(_options.BaseUrl) || !Uri.TryCreate(_options.BaseUrl.TrimEnd('/') + "/chat/completions", UriKind.Absolute, out var endpoint))
        {
            throw new TaskFailedException("llm_not_configured",
                $"llm.chat needs the provider's base URL ({LlmOptions.BaseUrlVariable}, Llm:BaseUrl or --llm-base-url).", ErrorKind.UserActionable);
        }

        var (body, stream) = ChatRequest.Build(context.Payload, _options);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
        using var limit = new CancellationTokenSource(_options.Timeout, _time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, call.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Refused(response, await HttpBodies.ReadTextAsync(response.Content, MaxResponseChars, call.Token));
            }

            return stream ? await StreamAsync(response, context, call.Token) : Completion(await HttpBodies.ReadTextAsync(response.Content, MaxResponseChars, call.Token));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TaskFailedException("timeout", $"The provider did not finish within {_options.Timeout.TotalSeconds:0} s.", ErrorKind.Retryable, innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TaskFailedException("llm_unreachable", $"Cannot reach the provider at {HttpFailures.Safe(endpoint)}: {ex.Message}", ErrorKind.Retryable, innerException: ex);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static async Task<JsonText> StreamAsync(HttpResponseMessage response, TaskContext context, CancellationToken cancellationToken)
    {
        var assembler = new ChatCompletionAssembler();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var data in SseReader.ReadDataAsync(body, cancellationToken))
        {
            if (data.Trim() == "[DONE]")
            {
                break;
            }

            if (Parse(data) is not JsonObject chunk)
            {
                throw new TaskFailedException("llm_bad_response", "The provider streamed an event that is not a JSON object.", ErrorKind.Retryable);
            }

            if (chunk["error"] is { } error)
            {
                throw new TaskFailedException("llm_stream_error", $"The provider reported an error mid-stream: {ErrorText(error)}", ErrorKind.Retryable,
                    details: new JsonText(data));
            }

            await context.ReportProgressAsync(null, null, new JsonText(data), cancellationToken);
            assembler.Add(chunk);
        }

        return assembler.Build();
    }

    private static JsonText Completion(string body) =>
        Parse(body) is JsonObject
            ? new JsonText(body)
            : throw new TaskFailedException("llm_bad_response", "The provider's answer is not a JSON object.", ErrorKind.Retryable);

    private TaskFailedException Refused(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var reason = Parse(body) is JsonObject { } answer && answer["error"] is { } error ? ErrorText(error) : response.ReasonPhrase;
        var kind = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ErrorKind.UserActionable : ErrorKind.Fatal;
        JsonText? details = Parse(body) is not null ? new JsonText(body) : null;
        return HttpFailures.ForStatus(response, $"The provider answered {status}: {reason}", details, _time, kind);
    }

    private static string ErrorText(JsonNode error) =>
        error is JsonObject o && o["message"] is JsonValue message && message.TryGetValue<string>(out var text) ? text : error.ToJsonString();

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
