namespace Switchyard.Core.Model;

/// <summary>Whether a task's result is held for a reviewer before it counts as completed.</summary>
public enum ReviewMode
{
    None,
    Required,
}
