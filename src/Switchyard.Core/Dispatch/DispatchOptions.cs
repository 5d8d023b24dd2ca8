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
}
