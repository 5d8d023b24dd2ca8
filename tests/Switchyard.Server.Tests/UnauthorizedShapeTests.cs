using System.Net;
using System.Text;
using System.Text.Json;
using Switchyard.Server.Security;
using Switchyard.Server.Tests.OpenAi;

namespace Switchyard.Server.Tests;

/// <summary>With API keys on, a request without a valid key is answered 401 in the error shape of the surface it asked.</summary>
public sealed class UnauthorizedShapeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenAi_WrongKey_OpenAiErrorWithInvalidApiKey()
    {
        await using var server = await StartAsync();
        using var request = ChatHttp.Post("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        request.Headers.Authorization = new("Bearer", "wrong-key");
        using var response = await server.Http.SendAsync(request, Ct);
        var error = await ChatHttp.ErrorAsync(response, 401, "invalid_request_error", "invalid_api_key");
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.DoesNotContain("wrong-key", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAi_NoKey_OpenAiErrorWithoutCode()
    {
        await using var server = await StartAsync();
        using var response = await server.Http.GetAsync("/v1/models", Ct);
        await ChatHttp.ErrorAsync(response, 401, "invalid_request_error", null);
    }

    [Theory]
    [InlineData("POST", "/api/openai")]
    [InlineData("GET", "/api/task/some-id")]
    [InlineData("GET", "/ws?group=gpu")]
    public async Task Dialect_NoKey_DialectError(string method, string path)
    {
        await using var server = await StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"messages":[]}""", Encoding.UTF8, "application/json");
        }

        using var response = await server.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var only = Assert.Single(body.RootElement.EnumerateObject());
        Assert.Equal("error", only.Name);
        Assert.StartsWith("Unauthorized", only.Value.GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestApi_WrongKey_ProblemDetails()
    {
        await using var server = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tasks");
        request.Headers.Add("X-Api-Key", "wrong-key");
        await ProblemAssert.IsProblem(await server.Http.SendAsync(request, Ct), HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static Task<TestServer> StartAsync() =>
        TestServer.StartAsync(new Dictionary<string, string?> { ["Security:ApiKeys:ci"] = ApiKeys.Hash("the-key") });
}
