using Switchyard.Core.Scheduling;

namespace Switchyard.Core.Storage;

/// <summary>The schedule as stored, and whether it is new.</summary>
public sealed record UpsertScheduleResult(Schedule Schedule, bool Created);
