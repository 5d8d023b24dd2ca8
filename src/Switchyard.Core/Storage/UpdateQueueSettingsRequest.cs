using Switchyard.Core.Queues;

namespace Switchyard.Core.Storage;

/// <summary>A partial update of one queue's settings (already checked by <see cref="QueueSettingsPatch.Check"/>).</summary>
public sealed record UpdateQueueSettingsRequest(string Queue, QueueSettingsPatch Patch, string? Actor);
