using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Switchyard.Core.Model;

namespace Switchyard.Server.Endpoints;

/// <summary>Marks a REST route that reads and checks its query string itself (task lists and counts, the event stream).</summary>
internal sealed class ChecksOwnQuery
{
    public static ChecksOwnQuery Instance { get; } = new();
}

/// <summary>
/// Refuses, as <c>400 unknown_filter</c>, a query parameter a REST route does not take: a misspelt <c>?limt=</c> or a
/// <c>?dryRun=true</c> the route would not honour is said, never ignored while the request goes on. A route takes the
/// parameters its handler binds with <c>[FromQuery]</c>; routes marked <see cref="ChecksOwnQuery"/> check themselves.
/// </summary>
internal sealed class QueryParameters(RequestDelegate next)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<MethodInfo, string[]> KnownByHandler = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue
            && context.Request.Path.StartsWithSegments(ApiPrefix)
            && context.GetEndpoint() is { } endpoint
            && endpoint.Metadata.GetMetadata<ChecksOwnQuery>() is null
            && endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler)
        {
            var known = Known(handler);
            if (context.Request.Query.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal)) is { } unknown)
            {
                await Problems.Write(context, Unknown(unknown, known));
                return;
            }
        }

        await next(context);
    }

    private static PathString ApiPrefix { get; } = new("/api/v1");

    /// <summary>The refusal of <paramref name="name"/> on a route that takes <paramref name="known"/>.</summary>
    public static OperationError Unknown(string name, IEnumerable<string> known) =>
        new(ErrorCodes.UnknownFilter, known.Order(StringComparer.Ordinal).ToList() is { Count: > 0 } names
            ? $"Unknown query parameter '{name}'; known: {string.Join(", ", names)}."
            : $"Unknown query parameter '{name}'; this route takes none.");

    private static string[] Known(MethodInfo handler) => KnownByHandler.GetOrAdd(handler, static h =>
        h.GetParameters()
            .Select(p => p.GetCustomAttribute<FromQueryAttribute>() is { } query ? query.Name ?? p.Name : null)
            .OfType<string>()
            .ToArray());
}
