using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Core.Cluster;
using Switchyard.Server.Hosting;

namespace Switchyard.Server.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: the store is open and the server takes work; the
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
            return state.Ready
                ? Results.Text("ready")
                : Results.Text("starting", statusCode: StatusCodes.Status503ServiceUnavailable);
        }).WithTags("Health").ExcludeFromDescription();
        return app;
    }
}
