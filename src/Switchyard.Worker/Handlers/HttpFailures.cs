using System.Net.Http.Headers;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>How the HTTP handlers classify an answer that is not a success: retry what may pass later (408, 425, 429, 5xx), give up on the rest.</summary>
internal static class HttpFailures
{
    public static bool IsRetryable(int status) => status is 408 or 425 or 429 or >= 500;

    /// <summary>The answer's <c>Retry-After</c> (seconds or a date) as a delay; null without one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, TimeProvider time)
    {
        if (headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>The failure of a non-success answer: retryable (with the server's Retry-After) or <paramref name="otherwise"/>.</summary>
    public static TaskFailedException ForStatus(
        HttpResponseMessage response, string message, JsonText? details, TimeProvider time, ErrorKind otherwise = ErrorKind.Fatal)
    {
        var status = (int)response.StatusCode;
        var code = $"http_{status}";
        return IsRetryable(status)
            ? new TaskFailedException(code, message, ErrorKind.Retryable, RetryAfter(response.Headers, time), details)
            : new TaskFailedException(code, message, otherwise, details: details);
    }

    /// <summary>A URL fit for an error message: no query string or credentials (they may hold secrets).</summary>
    public static string Safe(Uri? uri) => uri is null ? "?" : $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";
}
