using System.Net;
using System.Text;
using Switchyard.Client;

namespace Switchyard.Tests;

public sealed class TransportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnyCall_NothingListening_ThrowsHttpRequestException()
    {
        using var client = new SwitchyardClient(new Uri("http://127.0.0.1:1"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListQueuesAsync(Ct));
    }

    [Fact]
    public async Task AnyCall_NonJsonError_ThrowsWithHttpStatusCode()
    {
        using var http = new HttpClient(new CannedHandler(HttpStatusCode.BadGateway, "text/plain", "upstream down"))
        {
            BaseAddress = new Uri("http://switchyard.test/"),
        };
        using var client = new SwitchyardClient(http);

        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => client.ListQueuesAsync(Ct));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Equal("http_502", ex.Code);
        Assert.Contains("upstream down", ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", "{}", "(application/json: $: required field(s) missing: 'tasks')")]
    [InlineData("text/html", "<html>hello</html>", "(text/html: $: '<' is an invalid start of a value (line 1, column 1))")]
    public async Task Claim_AnswerThatIsNotSwitchyards_ThrowsInvalidResponseSayingWhy(string contentType, string body, string why)
    {
        using var http = new HttpClient(new CannedHandler(HttpStatusCode.OK, contentType, body)) { BaseAddress = new Uri("http://elsewhere.test/") };
        using var client = new SwitchyardClient(http);

        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => client.ClaimAsync(new() { WorkerId = "w1" }, Ct));

        Assert.Equal("invalid_response", ex.Code);
        Assert.Equal(
            $"POST /api/v1/claims answered 200 with something that is not Switchyard's answer {why}. Is http://elsewhere.test/ a Switchyard server?",
            ex.Detail);
    }

    [Fact]
    public async Task GetAsync_AnswerWithUnknownFields_SkipsThem()
    {
        const string body = """
            {"id":"t1","type":"echo","queue":"default","group":"default","state":"queued","payload":null,"fromTheFuture":{"x":1}}
            """;
        var handler = new CannedHandler(HttpStatusCode.OK, "application/json", body);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://switchyard.test/prefix/") };
        using var client = new SwitchyardClient(http);

        var task = await client.GetAsync("t1", cancellationToken: Ct);

        Assert.Equal("t1", task.Id);
        Assert.Equal("http://switchyard.test/prefix/api/v1/tasks/t1", handler.LastUri?.ToString());
    }

    [Fact]
    public void Constructor_HttpClientWithoutBaseAddress_Throws()
    {
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new SwitchyardClient(http));
    }

    [Fact]
    public void Constructor_BaseAddressWithPath_AddsTrailingSlash()
    {
        using var client = new SwitchyardClient(new Uri("http://switchyard.test/prefix"));

        Assert.Equal("http://switchyard.test/prefix/", client.BaseAddress.ToString());
    }

    private sealed class CannedHandler(HttpStatusCode status, string mediaType, string body) : HttpMessageHandler
    {
        public Uri? LastUri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
        }
    }
}
