namespace Switchyard.Core.Queues;

/// <summary>One field of a partial update: left as it is, or set to a value (null clears it).</summary>
public readonly record struct Patch<T>(bool IsSet, T Value)
{
#pragma warning disable CA1000 // Factories on the generic value read best at the call site.
    public static Patch<T> Keep => default;

    public static Patch<T> Set(T value) => new(true, value);
#pragma warning restore CA1000

    public T Apply(T current) => IsSet ? Value : current;
}
