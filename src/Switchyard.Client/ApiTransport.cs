using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Client.Contracts;

namespace Switchyard.Client;

/// <summary>
/// Sends one request and reads its JSON answer, or throws <see cref="SwitchyardApiException"/>. Each call gets
/// <see cref="RequestTimeout"/> plus however long it asked the server to wait; an expired call throws <see cref="TimeoutException"/>.
/// </summary>
internal sealed class ApiTransport(HttpClient http, TimeSpan requestTimeout)
{
    /// <summary>Bodies larger than this ask the server first (<c>Expect: 100-continue</c>), so one it refuses is never sent.</summary>
    private const long LargeBody = 64 * 1024;

    public TimeSpan RequestTimeout { get; } = requestTimeout;

    public Task<ApiResponse<T>> GetAsync<T>(string path, JsonTypeInfo<T> answer, TimeSpan wait, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, answer, wait, cancellationToken);

    public Task<ApiResponse<T>> PostAsync<TBody, T>(
        string path, TBody body, JsonTypeInfo<TBody> request, JsonTypeInfo<T> answer, TimeSpan wait, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, JsonContent.Create(body, request), answer, wait, cancellationToken);

    /// <summary>A POST without a body.</summary>
    public Task<ApiResponse<T>> PostAsync<T>(string path, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, null, answer, TimeSpan.Zero, cancellationToken);

    public Task<ApiResponse<T>> PutAsync<TBody, T>(
        string path, TBody body, JsonTypeInfo<TBody> request, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, JsonContent.Create(body, request), answer, TimeSpan.Zero, cancellationToken);

    /// <summary>A JSON merge patch (<c>application/merge-patch+json</c>).</summary>
    public Task<ApiResponse<T>> PatchAsync<T>(string path, string mergePatch, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, new StringContent(mergePatch, System.Text.Encoding.UTF8, "application/merge-patch+json"), answer,
            TimeSpan.Zero, cancellationToken);

    /// <summary>Sends a DELETE that answers without a body.</summary>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Budget(TimeSpan.Zero));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemReader.ReadAsync(response, limit.Token);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
        {
            throw new TimeoutException($"The server did not answer DELETE {path} within {RequestTimeout.TotalSeconds:0.#} s.", ex);
        }
    }

    private async Task<ApiResponse<T>> SendAsync<T>(
        HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> answer, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var budget = Budget(wait);
        if (budget != Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(budget);
        }

        try
        {
            if (content is not null)
            {
                // With its length known the server can refuse a body larger than it takes (413) before reading it; a large
                // one waits for the server's go-ahead. Sent in chunks instead, such a body was cut off mid-way and its
                // connection reset, which read as an unreachable server.
                await content.LoadIntoBufferAsync(limit.Token);
                request.Headers.ExpectContinue = content.Headers.ContentLength > LargeBody;
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemReader.ReadAsync(response, limit.Token);
            }

            T? value;
            try
            {
                value = await response.Content.ReadFromJsonAsync(answer, limit.Token);
            }
            catch (JsonException ex)
            {
                throw NotSwitchyard(response, method, path, ex);
            }

            return new ApiResponse<T>(
                value ?? throw new SwitchyardApiException(response.StatusCode, "invalid_response", $"{method} {path} answered with an empty body."),
                response.StatusCode, response.Headers);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
        {
            throw new TimeoutException($"The server did not answer {method} {path} within {budget.TotalSeconds:0.#} s.", ex);
        }
    }

    /// <summary>An answer that is not the contract's JSON: most likely the address is not a Switchyard server's.</summary>
    private SwitchyardApiException NotSwitchyard(HttpResponseMessage response, HttpMethod method, string path, JsonException ex)
    {
        var kind = response.Content.Headers.ContentType?.MediaType ?? "no content type";
        var why = ContractJsonErrors.Describe(ex, ClientJson.Context);
        return new SwitchyardApiException(response.StatusCode, "invalid_response",
            $"{method} /{path} answered {(int)response.StatusCode} with something that is not Switchyard's answer ({kind}: {why}). " +
            $"Is {http.BaseAddress} a Switchyard server?");
    }

    private TimeSpan Budget(TimeSpan wait) =>
        RequestTimeout == Timeout.InfiniteTimeSpan || wait == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : RequestTimeout + wait;
}
