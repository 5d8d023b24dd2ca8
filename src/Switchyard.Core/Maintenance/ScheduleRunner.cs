using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;
using Switchyard.Core.Scheduling;

namespace Switchyard.Core.Maintenance;

/// <summary>Recurring schedules whose next run has come submit their tasks (see <see cref="ScheduleBroker"/>).</summary>
public sealed class ScheduleRunner(TaskBroker broker, ScheduleBroker schedules, ILogger<ScheduleRunner> logger, ILeadership? leadership = null)
    : MaintenanceService(
        broker,
        new MaintenanceOptions { BatchSize = schedules.Options.BatchSize },
        TimeSpan.FromMilliseconds(schedules.Options.SweepMs),
        logger,
        LeaderRoles.ScheduleRunner,
        leadership)
{
    public override Task<int> SweepOnceAsync(CancellationToken cancellationToken) =>
        schedules.FireDueAsync(Options.BatchSize, cancellationToken);
}
