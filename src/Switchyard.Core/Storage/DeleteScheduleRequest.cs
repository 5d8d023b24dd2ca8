namespace Switchyard.Core.Storage;

public sealed record DeleteScheduleRequest(string Id);
