using System.Text.Json;
using Switchyard.Worker.Handlers;

namespace Switchyard.Worker.Tests;

public sealed class HttpRequestTests : WorkerTest
{
    private FakeProvider _remote = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _remote = Own(await FakeProvider.StartAsync());
        await StartAsync(NewWorker().HandleBuiltIn([HttpRequestHandler.TypeName]));
    }

    [Fact]
    public async Task JsonBody_SentAsJson_JsonAnswerBecomesJsonResult()
    {
        var done = await RunAsync(new { method = "post", url = Url("/echo"), headers = new Dictionary<string, string> { ["X-Token"] = "t1" }, body = new { a = 1 } });

        Assert.Equal("completed", done.State);
        var result = JsonDocument.Parse(done.Result!.Value.Raw).RootElement;
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("yes", result.GetProperty("headers").GetProperty("x-echo").GetString());
        var echo = result.GetProperty("body");
        Assert.Equal(("POST", "t1", """{"a":1}"""), (echo.GetProperty("method").GetString(), echo.GetProperty("token").GetString(), echo.GetProperty("body").GetString()));
        Assert.StartsWith("application/json", echo.GetProperty("contentType").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StringBody_SentAsIs_WithGivenContentType()
    {
        var done = await RunAsync(new { method = "PUT", url = Url("/echo"), headers = new Dictionary<string, string> { ["Content-Type"] = "text/csv" }, body = "a,b" });

        var echo = JsonDocument.Parse(done.Result!.Value.Raw).RootElement.GetProperty("body");
        Assert.Equal(("a,b", "text/csv"), (echo.GetProperty("body").GetString(), echo.GetProperty("contentType").GetString()));
    }

    [Fact]
    public async Task TextAnswer_BecomesStringBody()
    {
        var done = await RunAsync(new { url = Url("/text") });

        Assert.Equal("plain words", JsonDocument.Parse(done.Result!.Value.Raw).RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Redirect_Followed_CompletesWithTheAnswerItLeadsTo()
    {
        var done = await RunAsync(new { url = Url("/moved") });

        Assert.Equal("completed", done.State);
        var result = JsonDocument.Parse(done.Result!.Value.Raw).RootElement;
        Assert.Equal((200, "plain words"), (result.GetProperty("status").GetInt32(), result.GetProperty("body").GetString()));
    }

    [Fact]
    public async Task RedirectLoop_FailsFatalNotCompleted()
    {
        var done = await RunAsync(new { url = Url("/loop") }, maxAttempts: 3);

        Assert.Equal(("failed", 1, "redirect_not_followed", "fatal"), (done.State, done.Attempt, done.Error?.Code, done.Error?.Kind));
        Assert.Contains($"ended at a 302 redirect to {Url("/loop")} that was not followed", done.Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3", done.Error.Message, StringComparison.Ordinal);
        Assert.Equal(302, JsonDocument.Parse(done.Error.Details!.Value.Raw).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ServerError_Retryable_WithRetryAfter()
    {
        var task = await Server.SubmitAsync(HttpRequestHandler.TypeName, Json(new { url = Url("/status/503") }), r => r with { MaxAttempts = 2, Retry = new("fixed", 0) });

        var failed = await Server.WaitPastRunningAsync(task.Id);

        Assert.Equal(("scheduled", "http_503", "retryable"), (failed.State, failed.Error?.Code, failed.Error?.Kind));
        Assert.True(failed.RunAt > failed.UpdatedAt.AddSeconds(10), $"runAt {failed.RunAt} should follow Retry-After 12 s");
        Assert.DoesNotContain("?", failed.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientError_Fatal()
    {
        var done = await RunAsync(new { url = Url("/status/404") + "?secret=s3" }, maxAttempts: 3);

        Assert.Equal(("failed", 1, "http_404", "fatal"), (done.State, done.Attempt, done.Error?.Code, done.Error?.Kind));
        Assert.DoesNotContain("s3", done.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(404, JsonDocument.Parse(done.Error.Details!.Value.Raw).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task NoAnswerInTime_TimeoutRetryable()
    {
        var done = await RunAsync(new { url = Url("/hang"), timeoutMs = 300 });

        Assert.Equal(("failed", "timeout", "retryable"), (done.State, done.Error?.Code, done.Error?.Kind));
    }

    [Fact]
    public async Task NothingListening_RetryableHttpError()
    {
        var done = await RunAsync(new { url = "http://127.0.0.1:1/" });

        Assert.Equal(("failed", "http_error", "retryable"), (done.State, done.Error?.Code, done.Error?.Kind));
    }

    [Theory]
    [InlineData("""{"url":"ftp://x/"}""")]
    [InlineData("""{"url":"/relative"}""")]
    [InlineData("""{"url":"http://x/","method":"NOT A METHOD"}""")]
    [InlineData("""{"url":"http://x/","verb":"GET"}""")]
    public async Task BadPayload_Fatal(string payload)
    {
        var done = await Server.WaitSettledAsync((await Server.SubmitAsync(HttpRequestHandler.TypeName, payload, r => r with { MaxAttempts = 3 })).Id);

        Assert.Equal(("failed", 1, "invalid_payload"), (done.State, done.Attempt, done.Error?.Code));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(429)]
    public async Task TransientStatusThenSuccess_RetriedByThePolicy_Completes(int status)
    {
        var url = Url($"/flaky/{Guid.NewGuid():N}/{status}/2");

        var done = await RunAsync(new { url }, maxAttempts: 3, noBackoff: true);

        Assert.Equal(("completed", 3), (done.State, done.Attempt));
        Assert.Equal(3, JsonDocument.Parse(done.Result!.Value.Raw).RootElement.GetProperty("body").GetProperty("call").GetInt32());
    }

    [Fact]
    public async Task NothingListening_WithAttemptsLeft_RetriedThenFailed()
    {
        var done = await RunAsync(new { url = "http://127.0.0.1:1/" }, maxAttempts: 2, noBackoff: true);

        Assert.Equal(("failed", 2, "http_error", "retryable"), (done.State, done.Attempt, done.Error?.Code, done.Error?.Kind));
    }

    [Fact]
    public async Task Timeout_WithAttemptsLeft_RetriedThenFailed()
    {
        var done = await RunAsync(new { url = Url("/hang"), timeoutMs = 200 }, maxAttempts: 2, noBackoff: true);

        Assert.Equal(("failed", 2, "timeout"), (done.State, done.Attempt, done.Error?.Code));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(422)]
    public async Task ClientErrorWithAttemptsLeft_NotRetried(int status)
    {
        var done = await RunAsync(new { url = Url($"/status/{status}") }, maxAttempts: 3);

        Assert.Equal(("failed", 1, $"http_{status}", "fatal"), (done.State, done.Attempt, done.Error?.Code, done.Error?.Kind));
    }

    private string Url(string path) => new Uri(_remote.BaseAddress, path).ToString();

    private static string Json(object payload) => JsonSerializer.Serialize(payload);

    private async Task<Client.Contracts.TaskDto> RunAsync(object payload, int maxAttempts = 1, bool noBackoff = false) =>
        await Server.WaitSettledAsync((await Server.SubmitAsync(HttpRequestHandler.TypeName, Json(payload),
            r => r with { MaxAttempts = maxAttempts, Retry = noBackoff ? new("fixed", 0) : r.Retry })).Id);
}
