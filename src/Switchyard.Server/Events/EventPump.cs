using System.Net.WebSockets;
using Switchyard.Core.Events;

namespace Switchyard.Server.Events;

/// <summary>
/// Moves one subscription's events to its sink: a <c>stream.open</c> frame, then events and notices in batches (one
/// flush per batch), a heartbeat when idle. A subscriber the bus finds stalled gets its <c>stream.dropped</c> notice
/// if the connection takes it within <see cref="NoticeGrace"/>; either way the stream ends.
/// </summary>
internal static class EventPump
{
    public const int MaxBatch = 512;
    public static readonly TimeSpan NoticeGrace = TimeSpan.FromSeconds(1);

    /// <summary>Runs until the subscription ends (true: it was dropped and told) or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<bool> RunAsync(
        TaskEventSubscription subscription, IEventSink sink, long openAt, TimeSpan heartbeat, TimeProvider time, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, subscription.Stalled);
        try
        {
            await sink.WriteAsync(openAt, EventFrames.Open, EventFrames.Encode(EventFrames.Stream(EventFrames.Open, openAt, time.GetUtcNow())), stop.Token);
            await sink.FlushAsync(stop.Token);
            while (!subscription.IsCompleted)
            {
                if (await subscription.WaitToReadAsync(heartbeat, stop.Token))
                {
                    await WriteBatchAsync(subscription, sink, time, stop.Token);
                }
                else
                {
                    await sink.HeartbeatAsync(subscription.Position, stop.Token);
                }
            }

            return true;
        }
        catch (OperationCanceledException) when (subscription.Stalled.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return await TellDroppedAsync(subscription, sink, time);
        }
    }

    private static async Task WriteBatchAsync(TaskEventSubscription subscription, IEventSink sink, TimeProvider time, CancellationToken cancellationToken)
    {
        var written = 0;
        while (written < MaxBatch && subscription.TryRead(out var item))
        {
            await WriteAsync(sink, item, time, cancellationToken);
            written++;
        }

        if (written > 0)
        {
            await sink.FlushAsync(cancellationToken);
        }
    }

    private static ValueTask WriteAsync(IEventSink sink, EventDelivery item, TimeProvider time, CancellationToken cancellationToken) =>
        item.Event is { } e
            ? sink.WriteAsync(e.Seq, e.Type, EventFrames.Encode(e), cancellationToken)
            : sink.WriteAsync(item.Notice!.Seq, item.Notice.Type, EventFrames.Encode(item.Notice.ToDto(time.GetUtcNow())), cancellationToken);

    private static async Task<bool> TellDroppedAsync(TaskEventSubscription subscription, IEventSink sink, TimeProvider time)
    {
        using var grace = new CancellationTokenSource(NoticeGrace, time);
        try
        {
            while (subscription.TryRead(out var item))
            {
                if (item.Notice is { Type: EventNotice.Dropped })
                {
                    await WriteAsync(sink, item, time, grace.Token);
                    await sink.FlushAsync(grace.Token);
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or WebSocketException or InvalidOperationException)
        {
            // The connection cannot take even the notice: it is closed without it.
        }

        return false;
    }
}
