using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchyard.Core.Model;
using Switchyard.Server.Security;

namespace Switchyard.Server.Endpoints;

/// <summary>Small readers of what every endpoint needs from a request.</summary>
internal static class RequestContext
{
    /// <summary>Longest a GET may long-poll for a task to settle.</summary>
    public static readonly TimeSpan MaxPollWait = TimeSpan.FromMinutes(5);

    /// <summary>Who acts: the API key's name when keys are on, else "api".</summary>
    public static string Actor(this HttpContext context) =>
        context.Items.TryGetValue(ApiKeyMiddleware.ActorItem, out var name) && name is string s ? s : "api";

    /// <summary>
    /// Parses a <c>wait</c> parameter: absent → no wait; <c>true</c> → <see cref="Timeout.InfiniteTimeSpan"/>;
    /// a number of seconds (fractions allowed) → that long.
    /// </summary>
    public static Outcome<TimeSpan?> ParseWait(string? wait)
    {
        if (string.IsNullOrEmpty(wait) || wait == "false")
        {
            return Outcome<TimeSpan?>.Success(null);
        }

        if (wait == "true")
        {
            return Outcome<TimeSpan?>.Success(Timeout.InfiniteTimeSpan);
        }

        if (double.TryParse(wait, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= 86_400)
        {
            return Outcome<TimeSpan?>.Success(TimeSpan.FromSeconds(seconds));
        }

        return OperationError.Validation("wait", $"must be 'true' or a number of seconds between 0 and 86400, not '{wait}'");
    }
}
