namespace Switchyard.Core.Policies;

/// <summary>Stable wire and stored names of <see cref="BackoffKind"/>.</summary>
public static class BackoffKinds
{
    public static string ToName(this BackoffKind kind) => kind == BackoffKind.Fixed ? "fixed" : "exponential";

    /// <summary>The kind named <paramref name="name"/>; null for null or an unknown name.</summary>
    public static BackoffKind? Parse(string? name) => name switch
    {
        "fixed" => BackoffKind.Fixed,
        "exponential" => BackoffKind.Exponential,
        _ => null,
    };
}
