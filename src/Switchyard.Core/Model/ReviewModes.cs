namespace Switchyard.Core.Model;

/// <summary>Stable wire and stored names of <see cref="ReviewMode"/>.</summary>
public static class ReviewModes
{
    public static string ToName(this ReviewMode mode) => mode == ReviewMode.Required ? "required" : "none";

    /// <summary>The mode named <paramref name="name"/>; null for null or an unknown name.</summary>
    public static ReviewMode? Parse(string? name) => name switch
    {
        "required" => ReviewMode.Required,
        "none" => ReviewMode.None,
        _ => null,
    };
}
