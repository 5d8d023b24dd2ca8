using Switchyard.Core.Model;
using Switchyard.Core.Scheduling;

namespace Switchyard.Core.Storage;

/// <summary>
/// Where schedules live. Every write is durable when it returns. The store keeps what it is given; the
/// <see cref="ScheduleBroker"/> validates definitions and computes run times.
/// </summary>
public interface IScheduleStore
{
    /// <summary>
    /// Creates the schedule or replaces its definition. A replaced schedule keeps its stored next run when its cron,
    /// time zone and paused flag are unchanged (so a PUT of the same definition never skips a due run), and keeps its
    /// creation time and last run.
    /// </summary>
    Task<UpsertScheduleResult> UpsertScheduleAsync(UpsertScheduleRequest request, CancellationToken cancellationToken);

    Task<Schedule?> GetScheduleAsync(string id, CancellationToken cancellationToken);

    /// <summary>Schedules ordered by id, after <see cref="ListSchedulesRequest.After"/>.</summary>
    Task<IReadOnlyList<Schedule>> ListSchedulesAsync(ListSchedulesRequest request, CancellationToken cancellationToken);

    /// <summary>Removes the schedule; false when there was none. Tasks it submitted stay.</summary>
    Task<bool> DeleteScheduleAsync(DeleteScheduleRequest request, CancellationToken cancellationToken);

    /// <summary>Pauses or resumes; null when there is no such schedule.</summary>
    Task<Schedule?> SetSchedulePausedAsync(SetSchedulePausedRequest request, CancellationToken cancellationToken);

    /// <summary>Schedules not paused whose next run is at or before <see cref="DueSchedulesRequest.Now"/>, soonest first.</summary>
    Task<IReadOnlyList<Schedule>> ListDueSchedulesAsync(DueSchedulesRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Records a run. With <see cref="RecordScheduleRunRequest.Advance"/>, only while the schedule is not paused and its
    /// next run is still <see cref="ScheduleAdvance.From"/> (compare-and-set): false, and nothing written, otherwise.
    /// </summary>
    Task<bool> RecordScheduleRunAsync(RecordScheduleRunRequest request, CancellationToken cancellationToken);
}
