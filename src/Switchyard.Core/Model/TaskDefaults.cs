namespace Switchyard.Core.Model;

/// <summary>Defaults shared by every surface.</summary>
public static class TaskDefaults
{
    public const string Queue = "default";
    public const string Group = "default";
    public const string Scope = "default";
    public const int MaxAttempts = 3;
    public const int MaxNameLength = 200;
    public const int MaxLabels = 32;
    public const int MaxRejections = 3;
    public const int MaxDependencies = 1000;

    public static IReadOnlyDictionary<string, string> NoLabels { get; } = new Dictionary<string, string>();

    public static IReadOnlyList<string> NoDependencies { get; } = [];
}
