using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Worker.Tests;

/// <summary>Plain HTTP routes for <c>http.request</c> tests: an echo, any status, one that fails a few times then answers, plain text, a redirect to it, a redirect loop, and one that never answers.</summary>
internal static class FakeHttpRoutes
{
    /// <summary>Calls per key of <c>/flaky/{key}/{status}/{failures}</c>: the first <c>failures</c> answer <c>status</c>, the rest 200.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Calls = new(StringComparer.Ordinal);

    public static void Map(WebApplication app)
    {
        app.Map("/echo", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            http.Response.Headers["X-Echo"] = "yes";
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["method"] = http.Request.Method,
                ["contentType"] = http.Request.ContentType,
                ["token"] = http.Request.Headers["X-Token"].ToString(),
                ["body"] = body,
            }, http.RequestAborted);
        });
        app.Map("/status/{code:int}", async (HttpContext http, int code) =>
        {
            http.Response.StatusCode = code;
            if (code == 503)
            {
                http.Response.Headers.RetryAfter = "12";
            }

            await http.Response.WriteAsync($"status {code}", http.RequestAborted);
        });
        app.Map("/flaky/{key}/{status:int}/{failures:int}", async (HttpContext http, string key, int status, int failures) =>
        {
            var call = Calls.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (call <= failures)
            {
                http.Response.StatusCode = status;
                await http.Response.WriteAsync($"failure {call}", http.RequestAborted);
                return;
            }

            await http.Response.WriteAsJsonAsync(new JsonObject { ["call"] = call }, http.RequestAborted);
        });
        app.Map("/text", () => Results.Text("plain words", "text/plain"));
        app.Map("/moved", () => Results.Redirect("/text"));
        app.Map("/loop", () => Results.Redirect("/loop?secret=s3"));
        app.Map("/hang", async (HttpContext http) => await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted));
    }
}
