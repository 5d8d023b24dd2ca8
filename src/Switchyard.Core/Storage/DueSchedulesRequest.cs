namespace Switchyard.Core.Storage;

/// <summary>Up to <see cref="MaxSchedules"/> schedules due at <see cref="Now"/>.</summary>
public sealed record DueSchedulesRequest(DateTimeOffset Now, int MaxSchedules);
