namespace Switchyard.Core.Policies;

/// <summary>How the delay between attempts grows.</summary>
public enum BackoffKind
{
    Fixed,
    Exponential,
}
