namespace Switchyard.Core.Model;

/// <summary>Stable wire names of <see cref="DependencyFailurePolicy"/>.</summary>
public static class DependencyFailurePolicies
{
    public static string ToName(this DependencyFailurePolicy policy) => policy switch
    {
        DependencyFailurePolicy.Fail => "fail",
        DependencyFailurePolicy.Cancel => "cancel",
        DependencyFailurePolicy.Ignore => "ignore",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    public static bool TryParse(string? name, out DependencyFailurePolicy policy)
    {
        switch (name)
        {
            case "fail": policy = DependencyFailurePolicy.Fail; return true;
            case "cancel": policy = DependencyFailurePolicy.Cancel; return true;
            case "ignore": policy = DependencyFailurePolicy.Ignore; return true;
            default: policy = default; return false;
        }
    }
}
