namespace Switchyard.Core.Storage;

/// <summary>The tasks a claim leased (each move queued → running), possibly none.</summary>
public sealed record ClaimResult(IReadOnlyList<AppliedTransition> Claimed)
{
    public static ClaimResult Empty { get; } = new([]);
}
