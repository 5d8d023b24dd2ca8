namespace Switchyard.Core.Events;

/// <summary>Settings of the event bus; bound from the <c>Events</c> configuration section.</summary>
public sealed class EventBusOptions
{
    public const string Section = "Events";
    public const int CapacityDefault = 65_536;
    public const int MinCapacity = 16;
    public const int MaxCapacity = 16_777_216;
    public const int ProgressIntervalMsDefault = 100;
    public const int HeartbeatSecondsDefault = 15;
    public const int StallCheckMsDefault = 1_000;
    public const int MaxResultCharsDefault = 65_536;

    /// <summary>Events the ring keeps (rounded up to a power of two): how far a subscriber may fall behind, and how far back a resume reaches.</summary>
    public int Capacity { get; set; } = CapacityDefault;

    /// <summary>Shortest time between two <c>task.progress</c> events of one task; reports in between are folded into the newest.</summary>
    public int ProgressIntervalMs { get; set; } = ProgressIntervalMsDefault;

    /// <summary>An idle stream (SSE or WebSocket) gets a heartbeat this often, so proxies keep it open.</summary>
    public int HeartbeatSeconds { get; set; } = HeartbeatSecondsDefault;

    /// <summary>How often subscribers that fell more than the ring behind are looked for and dropped.</summary>
    public int StallCheckMs { get; set; } = StallCheckMsDefault;

    /// <summary>A result longer than this (in characters of JSON) is left out of the event (<c>resultOmitted: true</c>).</summary>
    public int MaxResultChars { get; set; } = MaxResultCharsDefault;

    /// <summary>The ring's real size: <see cref="Capacity"/> rounded up to a power of two.</summary>
    public int RingSize => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Capacity, MinCapacity, MaxCapacity));

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Capacity is < MinCapacity or > MaxCapacity)
        {
            problems.Add($"Capacity must be between {MinCapacity} and {MaxCapacity}");
        }

        if (ProgressIntervalMs is < 0 or > 60_000)
        {
            problems.Add("ProgressIntervalMs must be between 0 and 60000");
        }

        if (HeartbeatSeconds is < 1 or > 3_600)
        {
            problems.Add("HeartbeatSeconds must be between 1 and 3600");
        }

        if (StallCheckMs is < 10 or > 60_000)
        {
            problems.Add("StallCheckMs must be between 10 and 60000");
        }

        if (MaxResultChars < 0)
        {
            problems.Add("MaxResultChars must not be negative");
        }

        return problems;
    }
}
