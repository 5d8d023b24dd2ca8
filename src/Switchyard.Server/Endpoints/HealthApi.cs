using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Server.Hosting;

namespace Switchyard.Server.Endpoints;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the store is open and the server takes work.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Health").ExcludeFromDescription();
        app.MapGet("/readyz", (ServerState state) => state.Ready
            ? Results.Text("ready")
            : Results.Text("starting", statusCode: StatusCodes.Status503ServiceUnavailable)).WithTags("Health").ExcludeFromDescription();
        return app;
    }
}
