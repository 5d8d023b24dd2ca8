using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;

namespace Switchyard.Core.Maintenance;

/// <summary>Live tasks past their deadline fail with "Task timeout".</summary>
public sealed class DeadlineEnforcer(TaskBroker broker, IOptions<MaintenanceOptions> options, ILogger<DeadlineEnforcer> logger, ILeadership? leadership = null)
    : MaintenanceService(broker, options.Value, TimeSpan.FromMilliseconds(options.Value.DeadlineSweepMs), logger, LeaderRoles.DeadlineEnforcer, leadership)
{
    public override Task<int> SweepOnceAsync(CancellationToken cancellationToken) =>
        Broker.SweepAsync((store, request, ct) => store.FailOverdueAsync(request, ct), Options.BatchSize, cancellationToken);
}
