namespace Switchyard.Storage.Conformance;

/// <summary>
/// Tests that keep both cores busy on purpose (many callers hammering one store) run after the others and alone, so
/// they do not starve the timing-sensitive tests (fairness, leases) that would otherwise run beside them.
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
