namespace Switchyard.Core.Types;

/// <summary>Where a task type's definition came from: the types file (re-applied at every start) or the API.</summary>
public enum TaskTypeSource
{
    Api,
    File,
}
