using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;

namespace Switchyard.Core.Maintenance;

/// <summary>Running tasks whose lease lapsed go back to the queue or fail.</summary>
public sealed class LeaseRescuer(TaskBroker broker, IOptions<MaintenanceOptions> options, ILogger<LeaseRescuer> logger, ILeadership? leadership = null)
    : MaintenanceService(broker, options.Value, TimeSpan.FromMilliseconds(options.Value.LeaseSweepMs), logger, LeaderRoles.LeaseRescuer, leadership)
{
    public override Task<int> SweepOnceAsync(CancellationToken cancellationToken) =>
        Broker.SweepAsync((store, request, ct) => store.ExpireLeasesAsync(request, ct), Options.BatchSize, cancellationToken);
}
