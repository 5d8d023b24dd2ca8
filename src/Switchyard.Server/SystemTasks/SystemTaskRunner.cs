using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Server.Hosting;

namespace Switchyard.Server.SystemTasks;

/// <summary>
/// The server's own worker for <c>db.maintenance</c> tasks: claims them through the broker (group <c>system</c>, so remote
/// workers that do not serve that group never get them), runs them on the local store with heartbeats, and completes or
/// fails them with their result. In a cluster only the node that leads <see cref="LeaderRoles.SystemTasks"/> claims them.
/// </summary>
public sealed partial class SystemTaskRunner(
    TaskBroker broker, IStoreMaintenance store, IOptions<SystemTaskOptions> options, IOptions<ServerOptions> server, ILogger<SystemTaskRunner> logger,
    ILeadership? leadership = null)
    : BackgroundService
{
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SystemTaskOptions.Section, typeof(SystemTaskOptions), problems);
        }

        if (!settings.Enabled)
        {
            return;
        }

        var maintenance = new DbMaintenance(store, broker, Path.GetFullPath(Path.Join(server.Value.DataDirectory, SystemTaskOptions.ExportFolder)));
        var claim = new ClaimSpec
        {
            WorkerId = SystemTaskOptions.WorkerId,
            Queues = settings.QueuesOrDefault,
            Groups = [SystemTaskOptions.Group],
            Types = [DbMaintenance.TypeName],
            LeaseMs = settings.LeaseMs,
            WaitMs = settings.ClaimWaitMs,
        };
        var leader = leadership ?? SoleLeader.Instance;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var changed = leader.Changed;
                if (!leader.Holds(LeaderRoles.SystemTasks))
                {
                    await changed.WaitAsync(stoppingToken);
                    continue;
                }

                var claimed = await broker.ClaimAsync(claim, stoppingToken);
                if (!claimed.IsSuccess)
                {
                    LogClaimRefused(claimed.Error.Message);
                    return;
                }

                foreach (var task in claimed.Value)
                {
                    await RunAsync(maintenance, task, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
                await Task.Delay(PauseAfterError, broker.Time, stoppingToken);
            }
        }
    }

    private async Task RunAsync(DbMaintenance maintenance, TaskRecord task, CancellationToken stoppingToken)
    {
        var token = task.Lease!.Token;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeats = KeepLeaseAsync(task, token, running);
        try
        {
            var result = await maintenance.RunAsync(task, running.Token);
            LogDone(task.Id, result.Raw);
            await broker.CompleteAsync(task.Id, token, result, SystemTaskOptions.WorkerId, CancellationToken.None);
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // Cancelled by a client: the store has it as cancelled already.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex is SystemTaskFailure failure
                ? failure.Error
                : new TaskError(ex is IOException ? "io_error" : "system_task_failed", $"{DbMaintenance.TypeName}: {ex.Message}", ErrorKind.Retryable);
            LogFailed(task.Id, error.Code, error.Message);
            await broker.FailAsync(task.Id, token, error, null, SystemTaskOptions.WorkerId, CancellationToken.None);
        }
        finally
        {
            await running.CancelAsync();
            await heartbeats;
        }
    }

    /// <summary>Heartbeats at a third of the lease until the task ends; a task cancelled meanwhile cancels its work.</summary>
    private async Task KeepLeaseAsync(TaskRecord task, long token, CancellationTokenSource running)
    {
        var lease = task.LeaseMs ?? options.Value.LeaseMs;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(1_000, lease / 3)), broker.Time);
        try
        {
            while (await timer.NextTickAsync(running.Token))
            {
                var beat = await broker.HeartbeatAsync(task.Id, token, lease, null, running.Token);
                if (!beat.IsSuccess)
                {
                    await running.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "System task {TaskId} done: {Result}")]
    private partial void LogDone(string taskId, string result);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "System task {TaskId} failed with {Code}: {Message}")]
    private partial void LogFailed(string taskId, string code, string message);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Error, Message = "System tasks are off: the engine refuses their claim: {Problem}")]
    private partial void LogClaimRefused(string problem);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Error, Message = "The system task runner failed; it claims again shortly")]
    private partial void LogLoopFailed(Exception exception);
}
