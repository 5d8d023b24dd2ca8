using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;
using Switchyard.Server.Security;

namespace Switchyard.Server.WebSockets;

/// <summary><c>/ws/v1/worker</c>: Switchyard's own push-worker protocol.</summary>
public static class WorkerSocketEndpoint
{
    public const string Path = "/ws/v1/worker";

    public static IEndpointRouteBuilder MapWorkerSocket(this IEndpointRouteBuilder app)
    {
        app.Map(Path, Accept).ExcludeFromDescription();
        return app;
    }

    private static async Task Accept(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, OperationError.Validation("upgrade", "this route speaks WebSocket only (see docs/protocols/worker.md)"));
            return;
        }

        var services = context.RequestServices;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var framed = new FramedSocket(socket);
        using var connection = new WorkerConnection(
            framed,
            services.GetRequiredService<PushDispatcher>(),
            services.GetRequiredService<TaskBroker>(),
            services.GetRequiredService<ProgressFeed>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchyard.Server.WebSockets.WorkerConnection"),
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping,
            context.Items.ContainsKey(ApiKeyMiddleware.KeyInHelloItem) ? services.GetRequiredService<ApiKeys>() : null);
        await connection.RunAsync(context.RequestAborted);
    }
}
