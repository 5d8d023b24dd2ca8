namespace Switchyard.Core.Scheduling;

/// <summary>Stable wire and storage names of <see cref="MissedRunPolicy"/>.</summary>
public static class MissedRunPolicies
{
    public const string Rule = "must be skip, once or all";

    public static string ToName(this MissedRunPolicy policy) => policy switch
    {
        MissedRunPolicy.Skip => "skip",
        MissedRunPolicy.Once => "once",
        MissedRunPolicy.All => "all",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    public static bool TryParse(string? name, out MissedRunPolicy policy)
    {
        switch (name)
        {
            case "skip": policy = MissedRunPolicy.Skip; return true;
            case "once": policy = MissedRunPolicy.Once; return true;
            case "all": policy = MissedRunPolicy.All; return true;
            default: policy = default; return false;
        }
    }
}
