namespace Switchyard.Core.Engine;

/// <summary>Stores keep times to the millisecond; the engine takes "now" at that precision so what it returns equals what it stored.</summary>
public static class TimeMs
{
    public static DateTimeOffset Now(TimeProvider time) => Truncate(time.GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
