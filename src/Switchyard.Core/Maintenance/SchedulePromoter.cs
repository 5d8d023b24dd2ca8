using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;

namespace Switchyard.Core.Maintenance;

/// <summary>Scheduled tasks whose runAt has come are queued.</summary>
public sealed class SchedulePromoter(TaskBroker broker, IOptions<MaintenanceOptions> options, ILogger<SchedulePromoter> logger, ILeadership? leadership = null)
    : MaintenanceService(broker, options.Value, TimeSpan.FromMilliseconds(options.Value.ScheduleSweepMs), logger, LeaderRoles.SchedulePromoter, leadership)
{
    public override Task<int> SweepOnceAsync(CancellationToken cancellationToken) =>
        Broker.SweepAsync((store, request, ct) => store.PromoteScheduledAsync(request, ct), Options.BatchSize, cancellationToken);
}
