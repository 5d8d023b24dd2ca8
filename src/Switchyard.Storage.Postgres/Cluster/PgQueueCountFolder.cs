using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Core.Cluster;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// On the node leading <see cref="LeaderRoles.QueueCountFolder"/>: every <see cref="ClusterOptions.QueueCountFoldMs"/>
/// moves the queue count deltas the <c>tasks</c> triggers appended into <c>queue_counts</c>, so that reading the counts
/// stays a read of a few rows. A failed fold is logged and runs again on the next tick.
/// </summary>
public sealed partial class PgQueueCountFolder(
    PostgresTaskStore store, PgClusterBus bus, ILeadership leadership, TimeProvider time, ILogger<PgQueueCountFolder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(bus.Options.QueueCountFoldMs), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (leadership.Holds(LeaderRoles.QueueCountFolder))
                {
                    await FoldAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FoldAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.FoldQueueCountsAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFoldFailed(ex);
        }
    }

    [LoggerMessage(EventId = 2351, Level = LogLevel.Warning, Message = "Folding the queue count deltas failed; it runs again on the next tick")]
    private partial void LogFoldFailed(Exception exception);
}
