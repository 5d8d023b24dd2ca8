using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Core.Cluster;
using Switchyard.Server.Hosting;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Server.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: the store is open (and, on PostgreSQL, reachable) and the server takes work; the
/// <c>Switchyard-Store</c> header names the store (<c>sqlite</c> or <c>postgres</c>), <c>Switchyard-Node</c> the node and
/// <c>Switchyard-Leads</c> the singleton jobs it runs now (<see cref="LeaderRoles"/>, comma-separated).
/// </summary>
public static class HealthApi
{
    public const string StoreHeader = "Switchyard-Store";
    public const string NodeHeader = "Switchyard-Node";
    public const string LeadsHeader = "Switchyard-Leads";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Health").ExcludeFromDescription();
        app.MapGet("/readyz", (ServerState state, StoreInfo store, IClusterBus cluster, ILeadership leadership, HttpResponse response) =>
        {
            response.Headers[StoreHeader] = store.Kind;
            response.Headers[NodeHeader] = cluster.NodeId;
            response.Headers[LeadsHeader] = string.Join(',', leadership.Held);
            if (!state.Ready)
            {
                return Results.Text("starting", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            // On PostgreSQL the node listens for the others' changes on a connection of its own: while it is down
            // (the database is away) the node neither hears them nor can serve most requests.
            return response.HttpContext.RequestServices.GetService<PgListener>() is { Listening: false }
                ? Results.Text("store unreachable", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready");
        }).WithTags("Health").ExcludeFromDescription();
        return app;
    }
}
