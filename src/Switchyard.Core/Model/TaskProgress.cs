namespace Switchyard.Core.Model;

/// <summary>What a running task last reported about itself.</summary>
public sealed record TaskProgress(double? Percent, string? Message, JsonText? Data)
{
    /// <summary>Why <paramref name="percent"/> cannot be a task's progress (out of 0-100, not a number), or null.</summary>
    public static string? PercentProblem(double? percent) =>
        percent is { } p && !(p >= 0 && p <= 100) ? $"must be between 0 and 100, not {p.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : null;
}
