using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Cli.Worker;

/// <summary>
/// Heartbeats a task's lease at a third of its length while the command runs. Returns when the server says the
/// task was cancelled or the lease is gone; transient failures (network, 5xx) are retried at the next beat.
/// </summary>
internal sealed class LeaseKeeper(SwitchyardClient client, TaskDto task, long? leaseMs, IWorkerObserver observer, TimeProvider time)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The lease length asked for on every heartbeat (without it the server would reset the lease to the task's default).</summary>
    public long LeaseMs { get; } = leaseMs ?? LengthOf(task);

    /// <summary>Beats until <paramref name="cancellationToken"/> fires (null) or the lease ends (why). Never throws.</summary>
    public async Task<TaskOutcome?> KeepAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(LeaseMs / 3.0);
        using var timer = new PeriodicTimer(interval < MinInterval ? MinInterval : interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await client.HeartbeatAsync(task.Id, task.Lease!.Token, null, LeaseMs, cancellationToken);
                }
                catch (SwitchyardApiException ex) when (OutcomeOf(ex) is { } outcome)
                {
                    return outcome;
                }
                catch (Exception ex) when (ex is SwitchyardApiException or HttpRequestException or TimeoutException)
                {
                    observer.Notice($"{task.Id} heartbeat failed, will retry: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return null;
    }

    /// <summary>What a refusal means for the task: cancelled, or lease lost; null when it may pass.</summary>
    public static TaskOutcome? OutcomeOf(SwitchyardApiException ex) => ex.Code switch
    {
        ErrorCodes.TaskCancelled => TaskOutcome.Cancelled,
        ErrorCodes.StaleLease or ErrorCodes.LeaseExpired or ErrorCodes.NotFound or ErrorCodes.IllegalTransition => TaskOutcome.LeaseLost,
        _ when ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict => TaskOutcome.LeaseLost,
        _ => null,
    };

    private static long LengthOf(TaskDto task)
    {
        if (task.LeaseMs is { } ms)
        {
            return ms;
        }

        // Both times come from the server's clock, so the length is right even when ours differs.
        return task.Lease is { } lease && task.StartedAt is { } at && lease.ExpiresAt > at
            ? (long)(lease.ExpiresAt - at).TotalMilliseconds
            : ExecWorkerOptions.DefaultLeaseMs;
    }
}
