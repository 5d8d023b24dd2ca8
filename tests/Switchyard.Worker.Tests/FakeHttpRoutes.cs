using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Worker.Tests;

/// <summary>Plain HTTP routes for <c>http.request</c> tests: an echo, any status, plain text, and one that never answers.</summary>
internal static class FakeHttpRoutes
{
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
        app.Map("/text", () => Results.Text("plain words", "text/plain"));
        app.Map("/hang", async (HttpContext http) => await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted));
    }
}
