using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;

namespace Switchyard.Core.Maintenance;

/// <summary>Finished tasks whose result has expired are deleted with their history.</summary>
public sealed class RetentionCleaner(TaskBroker broker, IOptions<MaintenanceOptions> options, ILogger<RetentionCleaner> logger, ILeadership? leadership = null)
    : MaintenanceService(broker, options.Value, TimeSpan.FromMilliseconds(options.Value.RetentionSweepMs), logger, LeaderRoles.RetentionCleaner, leadership)
{
    public override Task<int> SweepOnceAsync(CancellationToken cancellationToken) =>
        Broker.PurgeExpiredAsync(Options.BatchSize, cancellationToken);
}
