using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Cli.Worker;

/// <summary>
/// Heartbeats a task's lease at a third of its length while the command runs. Returns when the server says the
/// task was cancelled or the lease is gone, or when no heartbeat has reached it for a whole lease (the lease ran
/// out); transient failures (network, 5xx) are retried at the next beat until then.
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
        var length = TimeSpan.FromMilliseconds(LeaseMs);
        var renewed = time.GetTimestamp(); // the claim's lease started no later than this
        using var timer = new PeriodicTimer(interval < MinInterval ? MinInterval : interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var sent = time.GetTimestamp();
                try
                {
                    await client.HeartbeatAsync(task.Id, task.Lease!.Token, null, LeaseMs, cancellationToken);
                    renewed = sent;
                }
                catch (SwitchyardApiException ex) when (OutcomeOf(ex) is { } outcome)
                {
                    return outcome;
                }
                catch (Exception ex) when (ex is SwitchyardApiException or HttpRequestException or TimeoutException)
                {
                    if (time.GetElapsedTime(renewed) >= length)
                    {
                        // No heartbeat has reached the server for a whole lease: the lease has run out, and the task may
                        // already run on another worker. Going on would run it twice at once.
                        observer.Notice($"{task.Id}: no heartbeat reached the server for {LeaseMs} ms, so the lease has run out " +
                                        $"and the task may run elsewhere; stopping the command ({ex.Message})");
                        return TaskOutcome.LeaseLost;
                    }

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
