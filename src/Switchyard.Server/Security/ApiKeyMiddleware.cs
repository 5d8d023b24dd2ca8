using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.Security;

/// <summary>
/// When API keys are configured, every request but the health probes must carry one
/// (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>). Keys are compared by their SHA-256
/// hash in constant time; the key itself is never logged or echoed.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<SecurityOptions> options)
{
    public const string ActorItem = "switchyard.actor";

    private readonly Dictionary<string, byte[]> _hashes = options.Value.ApiKeys.ToDictionary(
        kv => kv.Key, kv => Convert.FromHexString(kv.Value), StringComparer.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        if (_hashes.Count == 0 || context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
        {
            return next(context);
        }

        var presented = Presented(context.Request);
        if (presented is not null)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
            foreach (var (name, expected) in _hashes)
            {
                if (CryptographicOperations.FixedTimeEquals(hash, expected))
                {
                    context.Items[ActorItem] = name;
                    return next(context);
                }
            }
        }

        return Problems.Write(context, new OperationError(ErrorCodes.Unauthorized,
            "A valid API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

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
