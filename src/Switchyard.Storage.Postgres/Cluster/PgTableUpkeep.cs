using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Core.Cluster;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// On the node leading <see cref="LeaderRoles.TableUpkeep"/>, every <see cref="ClusterOptions.UpkeepMs"/>: moves the
/// queue count deltas the <c>tasks</c> triggers appended into <c>queue_counts</c>, so that reading the counts stays a
/// read of a few rows; and analyzes <c>tasks</c> when its size has drifted far from what the planner last saw
/// (<see cref="PgPlannerStatistics"/>). A step that fails is logged and runs again on the next tick.
/// </summary>
public sealed partial class PgTableUpkeep(
    PostgresTaskStore store, PostgresDatabase database, PgClusterBus bus, ILeadership leadership, TimeProvider time, ILogger<PgTableUpkeep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(bus.Options.UpkeepMs), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (leadership.Holds(LeaderRoles.TableUpkeep))
                {
                    await StepAsync("fold", () => store.FoldQueueCountsAsync(stoppingToken));
                    await StepAsync("analyze", async () =>
                    {
                        if (await PgPlannerStatistics.RefreshAsync(database, stoppingToken))
                        {
                            LogAnalyzed();
                        }
                    });
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task StepAsync(string step, Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStepFailed(step, ex);
        }
    }

    [LoggerMessage(EventId = 2351, Level = LogLevel.Warning, Message = "Table upkeep ({Step}) failed; it runs again on the next tick")]
    private partial void LogStepFailed(string step, Exception exception);

    [LoggerMessage(EventId = 2352, Level = LogLevel.Debug, Message = "The tasks table's size drifted from its statistics; analyzed it")]
    private partial void LogAnalyzed();
}
