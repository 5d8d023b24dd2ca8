using Switchyard.Core.Scheduling;

namespace Switchyard.Core.Storage;

/// <summary>A schedule to create or replace; its run fields (last run, created) are kept by the store when it exists.</summary>
public sealed record UpsertScheduleRequest(Schedule Schedule);
