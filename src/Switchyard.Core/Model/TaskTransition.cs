namespace Switchyard.Core.Model;

/// <summary>One row of the transition table.</summary>
public readonly record struct TaskTransition(TaskState? From, TaskTrigger Trigger, TaskState To);
