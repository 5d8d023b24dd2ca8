namespace Switchyard.Core.Model;

/// <summary>What happens to a blocked task when one of its dependencies fails or is cancelled.</summary>
public enum DependencyFailurePolicy
{
    /// <summary>The dependent fails too, with error code <c>dependency_failed</c>.</summary>
    Fail,

    /// <summary>The dependent is cancelled.</summary>
    Cancel,

    /// <summary>A failed or cancelled dependency counts as done: the dependent runs once the others complete.</summary>
    Ignore,
}
