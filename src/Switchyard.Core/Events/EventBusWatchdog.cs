using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchyard.Core.Events;

/// <summary>
/// Every <see cref="EventBusOptions.StallCheckMs"/>, signals the subscribers that fell more than the ring behind (their
/// transports close them with a notice) and forgets running tasks that have been silent for an hour.
/// </summary>
public sealed partial class EventBusWatchdog(TaskEventHub hub, ILogger<EventBusWatchdog> logger) : BackgroundService
{
    public static readonly TimeSpan ForgetRunningAfter = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(hub.Options.StallCheckMs), hub.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var dropped = hub.DropStalled();
                if (dropped > 0)
                {
                    LogDropped(logger, dropped, hub.Capacity);
                }

                hub.ForgetIdle(ForgetRunningAfter);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Dropped {Count} event subscribers that fell more than {Capacity} events behind")]
    private static partial void LogDropped(ILogger logger, int count, int capacity);
}
