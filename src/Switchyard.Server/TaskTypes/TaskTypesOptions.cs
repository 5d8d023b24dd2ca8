namespace Switchyard.Server.TaskTypes;

/// <summary>Where the task types the server registers at start come from; bound from <c>TaskTypes</c>.</summary>
public sealed class TaskTypesOptions
{
    public const string Section = "TaskTypes";

    /// <summary>A YAML (<c>.yaml</c>, <c>.yml</c>) or JSON file of <c>types: [...]</c>; none = only the types stored through the API.</summary>
    public string? File { get; set; }
}
