namespace Switchyard.Core.Storage;

/// <summary>Removes a task type; its queued and running tasks are not touched.</summary>
public sealed record DeleteTaskTypeRequest(string Type, string? Actor);
