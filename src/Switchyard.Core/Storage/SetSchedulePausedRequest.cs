namespace Switchyard.Core.Storage;

/// <summary>Pause (<see cref="NextRunAt"/> null) or resume a schedule, with the next run it gets.</summary>
public sealed record SetSchedulePausedRequest(string Id, bool Paused, DateTimeOffset? NextRunAt);
