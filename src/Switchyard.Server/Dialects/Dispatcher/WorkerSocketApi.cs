using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Server.WebSockets;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary><c>/ws?group=&lt;name&gt;</c>: the dialect's worker WebSocket (group "default" when not given).</summary>
internal static class WorkerSocketApi
{
    /// <summary>WebSocket ping frames go out this often; a worker that does not answer one within the same time is dropped.</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(30);

    public const string UpgradeRequired = "This route speaks WebSocket only";

    public static async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WriteErrorAsync(context, UpgradeRequired);
            return;
        }

        var group = context.Request.Query["group"].ToString();
        group = group.Length == 0 ? TaskDefaults.Group : group;
        if (!Names.IsValid(group))
        {
            await WriteErrorAsync(context, $"Invalid group: it {Names.Rule}");
            return;
        }

        var services = context.RequestServices;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(
            new WebSocketAcceptContext { KeepAliveInterval = PingInterval, KeepAliveTimeout = PingInterval });
        await using var framed = new FramedSocket(socket);
        using var connection = new DispatcherConnection(
            framed,
            group,
            services.GetRequiredService<PushDispatcher>(),
            services.GetRequiredService<TaskBroker>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DispatcherConnection).FullName!),
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        await connection.RunAsync(context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = DispatcherJson.ContentType;
        await context.Response.Body.WriteAsync(DispatcherJson.Error(message), context.RequestAborted);
    }
}
