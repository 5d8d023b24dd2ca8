namespace Switchyard.Core;

/// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every Switchyard instrument belongs to (exported at <c>/metrics</c>).</summary>
public static class SwitchyardMeter
{
    public const string Name = "Switchyard";
}
