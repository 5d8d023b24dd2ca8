using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Engine;
using Switchyard.Core.Maintenance;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Scheduling;

/// <summary>
/// The front door of recurring schedules: validates and stores them, and fires their runs through the
/// <see cref="TaskBroker"/>. Each run's task carries the idempotency key <c>schedule:ID:FIRE_MS</c>, so firing the
/// same run twice (a crash between submitting it and recording it) stores one task.
/// </summary>
public sealed partial class ScheduleBroker
{
    private readonly IScheduleStore _store;
    private readonly TaskBroker _tasks;
    private readonly ILogger<ScheduleBroker> _logger;

    public ScheduleBroker(IScheduleStore store, TaskBroker tasks, IOptions<ScheduleRunnerOptions> options, ILogger<ScheduleBroker> logger)
    {
        _store = store;
        _tasks = tasks;
        _logger = logger;
        Options = options.Value;
        var problems = Options.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(ScheduleRunnerOptions.Section, typeof(ScheduleRunnerOptions), problems);
        }
    }

    public ScheduleRunnerOptions Options { get; }

    private DateTimeOffset Now => TimeMs.Now(_tasks.Time);

    /// <summary>The idempotency key of the run of <paramref name="scheduleId"/> due at <paramref name="fireTime"/>.</summary>
    public static string RunKey(string scheduleId, DateTimeOffset fireTime) =>
        $"{ScheduleDefaults.ActorPrefix}{scheduleId}:{fireTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

    public async Task<Outcome<UpsertScheduleResult>> UpsertAsync(ScheduleSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = Now;
        var timing = Check(spec, now);
        if (!timing.IsSuccess)
        {
            return timing.Error;
        }

        foreach (var dependency in spec.Template.DependsOn ?? [])
        {
            if (await _tasks.GetAsync(dependency, cancellationToken) is null)
            {
                return OperationError.Validation("template.dependsOn",
                    $"task '{dependency}' was not found (or its result has expired): every run would be refused");
            }
        }

        var paused = spec.Paused ?? (await _store.GetScheduleAsync(spec.Id, cancellationToken))?.Paused ?? false;
        var schedule = new Schedule
        {
            Id = spec.Id,
            Cron = spec.Cron.Trim(),
            TimeZone = spec.TimeZone ?? ScheduleDefaults.TimeZone,
            Template = spec.Template,
            MissedRuns = spec.MissedRuns,
            Paused = paused,
            NextRunAt = paused ? null : timing.Value.NextAfter(now),
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await _store.UpsertScheduleAsync(new UpsertScheduleRequest(schedule), cancellationToken);
    }

    public Task<Schedule?> GetAsync(string id, CancellationToken cancellationToken) => _store.GetScheduleAsync(id, cancellationToken);

    public Task<IReadOnlyList<Schedule>> ListAsync(ListSchedulesRequest request, CancellationToken cancellationToken) =>
        _store.ListSchedulesAsync(request, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        _store.DeleteScheduleAsync(new DeleteScheduleRequest(id), cancellationToken);

    /// <summary>Stops firing runs until resumed; runs that fall due meanwhile are not caught up.</summary>
    public async Task<Outcome<Schedule>> PauseAsync(string id, CancellationToken cancellationToken) =>
        await _store.SetSchedulePausedAsync(new SetSchedulePausedRequest(id, true, null), cancellationToken) is { } paused
            ? paused
            : NotFound(id);

    /// <summary>Fires again from the next run after now.</summary>
    public async Task<Outcome<Schedule>> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        if (await _store.GetScheduleAsync(id, cancellationToken) is not { } schedule)
        {
            return NotFound(id);
        }

        var timing = CronTiming.Parse(schedule.Cron, schedule.TimeZone);
        if (!timing.IsSuccess)
        {
            return timing.Error;
        }

        var next = timing.Value.NextAfter(Now);
        return await _store.SetSchedulePausedAsync(new SetSchedulePausedRequest(id, false, next), cancellationToken) is { } resumed
            ? resumed
            : NotFound(id);
    }

    /// <summary>Submits one run now, paused or not; the schedule's next timed run does not move.</summary>
    public async Task<Outcome<EnqueuedTask>> TriggerAsync(string id, CancellationToken cancellationToken)
    {
        if (await _store.GetScheduleAsync(id, cancellationToken) is not { } schedule)
        {
            return NotFound(id);
        }

        var now = Now;
        // Each trigger is a run of its own, two in the same millisecond too.
        var key = $"{ScheduleDefaults.ActorPrefix}{id}:manual:{now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}:{Guid.NewGuid():N}";
        var submitted = await _tasks.SubmitAsync(RunSpec(schedule.Id, schedule.Template, key), ScheduleDefaults.ActorPrefix + id, cancellationToken);
        if (submitted.IsSuccess)
        {
            await _store.RecordScheduleRunAsync(new RecordScheduleRunRequest(id, now, submitted.Value.Task.Id, null, null), cancellationToken);
        }

        return submitted;
    }

    /// <summary>Fires the schedules due now (up to <paramref name="maxSchedules"/>); returns how many it looked at.</summary>
    public async Task<int> FireDueAsync(int maxSchedules, CancellationToken cancellationToken)
    {
        var due = await _store.ListDueSchedulesAsync(new DueSchedulesRequest(Now, maxSchedules), cancellationToken);
        foreach (var schedule in due)
        {
            await FireAsync(schedule, cancellationToken);
        }

        return due.Count;
    }

    private async Task FireAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        var now = Now;
        var from = schedule.NextRunAt ?? now;
        var timing = CronTiming.Parse(schedule.Cron, schedule.TimeZone);
        if (!timing.IsSuccess)
        {
            // The zone left the system's time zone database: stop the schedule rather than retry it every sweep.
            LogUnreadable(schedule.Id, timing.Error.Message);
            await _store.RecordScheduleRunAsync(
                new RecordScheduleRunRequest(schedule.Id, null, null, timing.Error.Message, new ScheduleAdvance(from, null)), cancellationToken);
            return;
        }

        var plan = FirePlanner.Plan(timing.Value, from, now, schedule.MissedRuns, Options.MisfireGrace, Options.MaxCatchUpRuns);
        if (plan.DroppedMissed)
        {
            LogDropped(schedule.Id, schedule.MissedRuns.ToName(), plan.Fires.Count);
        }

        string? lastTask = null;
        string? lastError = null;
        foreach (var fire in plan.Fires)
        {
            var submitted = await _tasks.SubmitAsync(
                RunSpec(schedule.Id, schedule.Template, RunKey(schedule.Id, fire)), ScheduleDefaults.ActorPrefix + schedule.Id, cancellationToken);
            if (submitted.IsSuccess)
            {
                (lastTask, lastError) = (submitted.Value.Task.Id, null);
                continue;
            }

            (lastTask, lastError) = (null, $"{submitted.Error.Code}: {submitted.Error.Message}");
            LogRunRefused(schedule.Id, fire, submitted.Error.Code, submitted.Error.Message);
        }

        var recorded = await _store.RecordScheduleRunAsync(
            new RecordScheduleRunRequest(schedule.Id, plan.Fires.Count > 0 ? plan.Fires[^1] : null, lastTask, lastError,
                new ScheduleAdvance(from, plan.NextRunAt)),
            cancellationToken);
        if (!recorded)
        {
            LogChangedMeanwhile(schedule.Id);
        }
    }

    /// <summary>Checks a definition and returns its timing; every refusal names its field.</summary>
    private Outcome<CronTiming> Check(ScheduleSpec spec, DateTimeOffset now)
    {
        if (!Names.IsValid(spec.Id) || spec.Id.Contains('/', StringComparison.Ordinal))
        {
            return OperationError.Validation("id",
                $"'{spec.Id}' is not a schedule id: it must be 1-200 characters of ASCII letters, digits and . _ - :, starting with a letter or digit (no '/': the id names the schedule in URLs)");
        }

        var timing = CronTiming.Parse(spec.Cron, spec.TimeZone);
        if (!timing.IsSuccess)
        {
            return timing;
        }

        var template = spec.Template;
        var refused = (template.Id, template.IdempotencyKey, template.RunAt, template.Timeouts) switch
        {
            ({ }, _, _, _) => OperationError.Validation("template.id", "each run submits a new task: leave the id out"),
            (_, { }, _, _) => OperationError.Validation("template.idempotencyKey", "each run gets its own key (schedule:ID:FIRE_MS): leave it out"),
            (_, _, { }, _) => OperationError.Validation("template.runAt", "a run starts when it fires: use delayMs to start later"),
            (_, _, _, { }) => OperationError.Validation("template.timeoutMs", "a template takes the engine's timeout settings"),
            _ => null,
        };
        if (refused is not null)
        {
            return refused;
        }

        var built = _tasks.Check(RunSpec(spec.Id, template, RunKey(spec.Id, now)), "template.");
        return built.IsSuccess ? timing : built.Error;
    }

    /// <summary>The task a run submits: the template with the run's key and the <c>schedule</c> label.</summary>
    private static SubmitTask RunSpec(string scheduleId, SubmitTask template, string key)
    {
        var labels = new Dictionary<string, string>(template.Labels ?? TaskDefaults.NoLabels, StringComparer.Ordinal)
        {
            [ScheduleDefaults.Label] = scheduleId,
        };
        return template with { IdempotencyKey = key, Labels = labels };
    }

    public static OperationError NotFound(string id) => new(ErrorCodes.NotFound, $"Schedule '{id}' was not found.");

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Schedule {ScheduleId}: runs that fell due while nothing fired them were dropped (missedRuns {Policy}, or more than Schedules:MaxCatchUpRuns); {Fired} fire now")]
    private partial void LogDropped(string scheduleId, string policy, int fired);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Schedule {ScheduleId}: the run due at {FireTime} was refused: {Code}: {Detail}")]
    private partial void LogRunRefused(string scheduleId, DateTimeOffset fireTime, string code, string detail);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "Schedule {ScheduleId} changed while it fired; its new definition decides the next run")]
    private partial void LogChangedMeanwhile(string scheduleId);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "Schedule {ScheduleId} can no longer be read and is stopped: {Problem}")]
    private partial void LogUnreadable(string scheduleId, string problem);
}
