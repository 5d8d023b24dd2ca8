using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;

namespace Switchyard.Core.Maintenance;

/// <summary>
/// A background job that sweeps on an interval; a sweep that hit its batch size runs again at once.
/// A failed sweep is logged and retried on the next tick: maintenance never stops the server. In a cluster only the
/// node that leads the service's <see cref="Role"/> sweeps.
/// </summary>
public abstract partial class MaintenanceService : BackgroundService
{
    private readonly ILogger _logger;
    private PeriodicTimer? _timer;

    protected MaintenanceService(
        TaskBroker broker, MaintenanceOptions options, TimeSpan interval, ILogger logger, string role, ILeadership? leadership)
    {
        Broker = broker;
        Options = options;
        Interval = interval;
        _logger = logger;
        Role = role;
        Leadership = leadership ?? SoleLeader.Instance;
    }

    protected TaskBroker Broker { get; }

    protected MaintenanceOptions Options { get; }

    public TimeSpan Interval { get; }

    /// <summary>The <see cref="LeaderRoles"/> name of this service.</summary>
    public string Role { get; }

    protected ILeadership Leadership { get; }

    /// <summary>One sweep; returns how many tasks it moved or removed.</summary>
    public abstract Task<int> SweepOnceAsync(CancellationToken cancellationToken);

    /// <summary>Starts the interval now, before the sweeping loop runs (on a thread of its own): a tick from then on is never missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer ??= new PeriodicTimer(Interval, Broker.Time);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ??= new PeriodicTimer(Interval, Broker.Time);
        try
        {
            while (await timer.NextTickAsync(stoppingToken))
            {
                if (!Leadership.Holds(Role))
                {
                    continue;
                }

                await SweepUntilDrainedAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepUntilDrainedAsync(CancellationToken stoppingToken)
    {
        try
        {
            int moved;
            do
            {
                moved = await SweepOnceAsync(stoppingToken);
            }
            while (moved >= Options.BatchSize && !stoppingToken.IsCancellationRequested);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(_logger, GetType().Name, ex);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Maintenance sweep {Service} failed; it runs again on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, string service, Exception exception);
}
