namespace Switchyard.Core.Storage;

/// <summary>Which side of a task's dependency edges a query walks.</summary>
public enum TaskRelation
{
    /// <summary>The tasks this task waits for.</summary>
    Dependencies,

    /// <summary>The tasks that wait for this task.</summary>
    Dependents,
}
