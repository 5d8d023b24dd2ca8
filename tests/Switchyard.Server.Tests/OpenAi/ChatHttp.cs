using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Server.Tests.OpenAi;

/// <summary>Small helpers to talk to <c>/v1</c> as an OpenAI client would: raw JSON in, parsed JSON and SSE events out.</summary>
internal static class ChatHttp
{
    public const string Path = "/v1/chat/completions";

    public static HttpRequestMessage Post(string json, string path = Path) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static Task<HttpResponseMessage> SendAsync(TestServer server, string json, bool stream = false) =>
        server.Http.SendAsync(Post(json), stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
            TestContext.Current.CancellationToken);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an OpenAI error body with this status, type and code; returns its <c>error</c> object.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, int status, string type, string? code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await JsonAsync(response)).GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.True(error.TryGetProperty("param", out _), "error.param is always present (null when none)");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        return error;
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static bool IsEventStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: "text/event-stream" };
}
