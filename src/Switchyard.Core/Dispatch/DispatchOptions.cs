namespace Switchyard.Core.Dispatch;

/// <summary>Settings of push dispatch; bound from <c>Dispatch</c>.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";
    public const int MaxPerClaimDefault = 64;
    public const int MaxCapacityDefault = 10_000;
    public const long HeartbeatIntervalMsDefault = 10_000;
    public const long FallbackPollMsDefault = 1_000;

    /// <summary>Most tasks one worker is given in one turn of the round robin.</summary>
    public int MaxPerClaim { get; set; } = MaxPerClaimDefault;

    /// <summary>Largest capacity (credits) a worker may declare.</summary>
    public int MaxCapacity { get; set; } = MaxCapacityDefault;

    /// <summary>How often workers are asked to heartbeat the tasks they hold.</summary>
    public long HeartbeatIntervalMs { get; set; } = HeartbeatIntervalMsDefault;

    /// <summary>The dispatcher also looks for work this often, even without a wake-up.</summary>
    public long FallbackPollMs { get; set; } = FallbackPollMsDefault;

    /// <summary>What is wrong with these settings (empty when nothing).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxPerClaim is < 1 or > 10_000)
        {
            problems.Add("Dispatch:MaxPerClaim must be between 1 and 10000");
        }

        if (MaxCapacity is < 1 or > 1_000_000)
        {
            problems.Add("Dispatch:MaxCapacity must be between 1 and 1000000");
        }

        if (HeartbeatIntervalMs is < 100 or > 3_600_000)
        {
            problems.Add("Dispatch:HeartbeatIntervalMs must be between 100 and 3600000");
        }

        if (FallbackPollMs is < 10 or > 600_000)
        {
            problems.Add("Dispatch:FallbackPollMs must be between 10 and 600000");
        }

        return problems;
    }
}
