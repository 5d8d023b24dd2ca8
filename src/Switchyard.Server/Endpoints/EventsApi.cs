using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Switchyard.Client.Contracts;
using Switchyard.Core.Events;
using Switchyard.Server.Events;

namespace Switchyard.Server.Endpoints;

/// <summary>
/// <c>GET /api/v1/events</c>: the event stream as server-sent events; <c>/ws/v1/events</c>: the same as WebSocket
/// messages; <c>GET /api/v1/events/stats</c>: the bus's numbers. See docs/protocols/events.md.
/// </summary>
public static class EventsApi
{
    public const int RetryMs = 2_000;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/events").WithTags("Events");
        group.MapGet("/", Stream).WithName("StreamEvents").WithMetadata(ChecksOwnQuery.Instance).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        group.MapGet("/stats", Stats).WithName("GetEventStats");
        app.Map("/ws/v1/events", Socket).ExcludeFromDescription();
        return app;
    }

    public static Ok<EventStatsDto> Stats(TaskEventHub hub)
    {
        var s = hub.Stats();
        return TypedResults.Ok(new EventStatsDto(
            s.Capacity, s.FirstSeq, s.LastSeq, s.OldestSeq, s.Published, s.DroppedSubscribers, s.LostEvents,
            new LatencyDto(s.DeliveryLatency.Samples, s.DeliveryLatency.P50Ms, s.DeliveryLatency.P99Ms, s.DeliveryLatency.MaxMs),
            s.Subscribers.Select(x => new EventSubscriberDto(x.Id, x.Transport, x.Filter, x.ConnectedAt, x.Lag, x.Delivered)).ToArray()));
    }

    private static async Task Stream(HttpContext context, TaskEventHub hub, IHostApplicationLifetime lifetime)
    {
        var query = EventStreamQuery.Parse(context.Request);
        if (!query.IsSuccess)
        {
            await Problems.Write(context, query.Error);
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var subscription = hub.Subscribe(query.Value.Filter, query.Value.LastEventId, "sse");
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var sink = new SseSink(response.BodyWriter);
        sink.Retry(RetryMs);
        try
        {
            var told = await EventPump.RunAsync(subscription, sink, query.Value.LastEventId ?? subscription.Position,
                TimeSpan.FromSeconds(hub.Options.HeartbeatSeconds), hub.Time, done.Token);
            if (!told)
            {
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The client went away, or the server is stopping: the client reconnects with Last-Event-ID.
        }
    }

    private static async Task Socket(HttpContext context, TaskEventHub hub, IHostApplicationLifetime lifetime)
    {
        var query = EventStreamQuery.Parse(context.Request);
        if (!query.IsSuccess || !context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, query.IsSuccess
                ? Core.Model.OperationError.Validation("upgrade", "this route speaks WebSocket only (see docs/protocols/events.md)")
                : query.Error);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var subscription = hub.Subscribe(query.Value.Filter, query.Value.LastEventId, "ws");
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var listening = IgnoreUntilClosedAsync(socket, done);
        try
        {
            var told = await EventPump.RunAsync(subscription, new SocketSink(socket, hub.Time), query.Value.LastEventId ?? subscription.Position,
                TimeSpan.FromSeconds(hub.Options.HeartbeatSeconds), hub.Time, done.Token);
            await CloseAsync(socket, told ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.PolicyViolation, told ? "dropped: fell behind" : "stalled");
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
            await CloseAsync(socket, stopping ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.NormalClosure, stopping ? "server stopping" : "bye");
        }
        finally
        {
            await done.CancelAsync();
            await listening;
        }
    }

    /// <summary>The stream only sends; what the client sends is read and ignored, until it closes (which ends the stream).</summary>
    private static async Task IgnoreUntilClosedAsync(WebSocket socket, CancellationTokenSource done)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, done.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            return;
        }

        await done.CancelAsync();
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone.
        }
    }
}
