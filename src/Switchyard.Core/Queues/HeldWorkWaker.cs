using Microsoft.Extensions.Hosting;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Queues;

/// <summary>
/// Wakes claimers (pull workers waiting in a claim, the push dispatcher) when work a limit held back may go:
/// when a rate-limit token is due, and when a running task finishes while a concurrency limit held something.
/// Without it, held work would wait for the next unrelated wake-up.
/// </summary>
public sealed class HeldWorkWaker : BackgroundService
{
    private readonly TaskBroker _broker;
    private readonly ClaimHolds _holds;

    public HeldWorkWaker(TaskBroker broker, ClaimHolds holds)
    {
        _broker = broker;
        _holds = holds;
        _broker.Moved += OnMoved;
    }

    public override void Dispose()
    {
        _broker.Moved -= OnMoved;
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var time = _broker.Time;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var changed = _holds.Changed;
                if (_holds.TakeDue(time.GetUtcNow()))
                {
                    _broker.WorkArrived.Pulse();
                    continue;
                }

                if (_holds.TokenDue is { } due)
                {
                    var wait = due - time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                        await Task.WhenAny(changed, Task.Delay(wait, time, timer.Token));
                        await timer.CancelAsync();
                    }
                }
                else
                {
                    await changed.WaitAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void OnMoved(AppliedTransition move)
    {
        if (move.From == TaskState.Running && _holds.TakeCapacity())
        {
            _broker.WorkArrived.Pulse();
        }
    }
}
