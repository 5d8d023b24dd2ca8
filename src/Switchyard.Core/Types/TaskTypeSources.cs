namespace Switchyard.Core.Types;

/// <summary>Stable persisted and wire names of <see cref="TaskTypeSource"/>.</summary>
public static class TaskTypeSources
{
    public static string ToName(this TaskTypeSource source) => source == TaskTypeSource.File ? "file" : "api";

    public static TaskTypeSource Parse(string name) => name == "file" ? TaskTypeSource.File : TaskTypeSource.Api;
}
