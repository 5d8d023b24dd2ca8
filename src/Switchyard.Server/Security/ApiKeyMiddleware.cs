using Microsoft.AspNetCore.Http;
using Switchyard.Server.WebSockets;

namespace Switchyard.Server.Security;

/// <summary>
/// When API keys are configured, every request but the health probes must carry one
/// (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>), checked by <see cref="ApiKeys"/>. The one exception:
/// a WebSocket upgrade to <c>/ws/v1/worker</c> without a key header is let through, and its worker must give the key
/// in <c>hello</c> (browsers cannot set headers on an upgrade). A refusal is 401 in the shape of the surface asked
/// (<see cref="Unauthorized"/>).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys)
{
    public const string ActorItem = "switchyard.actor";

    /// <summary>Set on a worker upgrade that carried no key: the worker's hello must carry a valid one.</summary>
    public const string KeyInHelloItem = "switchyard.key-in-hello";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!keys.Enabled || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz"))
        {
            return next(context);
        }

        var presented = Presented(context.Request);
        if (presented is null && path == WorkerSocketEndpoint.Path && context.WebSockets.IsWebSocketRequest)
        {
            context.Items[KeyInHelloItem] = true;
            return next(context);
        }

        if (keys.Find(presented) is { } name)
        {
            context.Items[ActorItem] = name;
            return next(context);
        }

        return Unauthorized.WriteAsync(context, missing: presented is null);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header : null;
    }
}
