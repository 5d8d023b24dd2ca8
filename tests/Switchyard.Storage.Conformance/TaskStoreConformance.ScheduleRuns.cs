using Microsoft.Extensions.Logging.Abstractions;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Maintenance;
using Switchyard.Core.Model;
using Switchyard.Core.Scheduling;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>Schedules firing through the engine into this store: run keys, catch-up after downtime, time zones.</summary>
public abstract partial class TaskStoreConformance
{
    /// <summary>The event bus of the brokers the schedule tests make; disposed with the test.</summary>
    private TaskEventHub? _events;

    [Fact]
    public async Task FireDue_OnTime_OneTaskWithRunKeyLabelAndActor_NextRunAdvanced()
    {
        var schedules = NewScheduleBroker();
        await PutScheduleAsync(schedules, "every5", "*/5 * * * *");
        Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(300));

        Assert.Equal(1, await Bounded(schedules.FireDueAsync(100, Ct)));

        var task = Assert.Single(await RunsOfAsync("every5"));
        var fire = Start.AddMinutes(5);
        Assert.Equal((ScheduleBroker.RunKey("every5", fire), "test.echo", TaskState.Queued), (task.IdempotencyKey, task.Type, task.State));
        Assert.Equal("schedule:every5", Assert.Single((await HistoryAsync(task.Id))!).Actor);
        var stored = await GetScheduleRequiredAsync("every5");
        Assert.Equal((Start.AddMinutes(10), fire, task.Id), (stored.NextRunAt, stored.LastRunAt, stored.LastTaskId));
        Assert.Equal(0, await Bounded(schedules.FireDueAsync(100, Ct)));
    }

    [Fact]
    public async Task FireDue_CrashBetweenSubmitAndRecord_RunFiresOnce()
    {
        var schedules = NewScheduleBroker();
        await PutScheduleAsync(schedules, "crashy", "*/5 * * * *");
        Time.Advance(TimeSpan.FromMinutes(5));
        await Bounded(schedules.FireDueAsync(100, Ct));

        // The record of the run is lost (the process died after submitting): the schedule still says 00:05.
        Assert.True(await RecordRunAsync(new RecordScheduleRunRequest("crashy", null, null, null, new ScheduleAdvance(Start.AddMinutes(10), Start.AddMinutes(5)))));
        await Sut.RestartAsync(Ct).WaitAsync(Bound, Ct);
        schedules = NewScheduleBroker();
        Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, await Bounded(schedules.FireDueAsync(100, Ct)));

        var task = Assert.Single(await RunsOfAsync("crashy"));
        var stored = await GetScheduleRequiredAsync("crashy");
        Assert.Equal((Start.AddMinutes(10), task.Id), (stored.NextRunAt, stored.LastTaskId));
    }

    [Theory]
    [InlineData(MissedRunPolicy.Skip, 100, new int[0])]
    [InlineData(MissedRunPolicy.Once, 100, new[] { 5 })]
    [InlineData(MissedRunPolicy.All, 100, new[] { 1, 2, 3, 4, 5 })]
    [InlineData(MissedRunPolicy.All, 3, new[] { 3, 4, 5 })]
    public async Task FireDue_AfterDowntime_MissedRunsFollowThePolicy(MissedRunPolicy policy, int maxCatchUp, int[] hours)
    {
        var schedules = NewScheduleBroker(new ScheduleRunnerOptions { MaxCatchUpRuns = maxCatchUp });
        await PutScheduleAsync(schedules, "hourly", "0 * * * *", missedRuns: policy);
        Time.Advance(TimeSpan.FromHours(5.5));

        await Bounded(schedules.FireDueAsync(100, Ct));

        var fired = (await RunsOfAsync("hourly")).Select(t => t.IdempotencyKey).Order(StringComparer.Ordinal);
        Assert.Equal(hours.Select(h => ScheduleBroker.RunKey("hourly", Start.AddHours(h))).Order(StringComparer.Ordinal), fired);
        var stored = await GetScheduleRequiredAsync("hourly");
        Assert.Equal(Start.AddHours(6), stored.NextRunAt);
        Assert.Equal(hours.Length == 0 ? null : Start.AddHours(hours[^1]), stored.LastRunAt);
    }

    [Fact]
    public async Task FireDue_SkipPolicyLateWithinGrace_Fires()
    {
        var schedules = NewScheduleBroker(new ScheduleRunnerOptions { MisfireGraceMs = 60_000 });
        await PutScheduleAsync(schedules, "late", "0 * * * *");
        Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(59));

        await Bounded(schedules.FireDueAsync(100, Ct));

        Assert.Single(await RunsOfAsync("late"));
    }

    [Theory]
    [InlineData("30 2 * * *", "2030-03-09T12:00:00Z", "2030-03-11T12:00:00Z", new[] { "2030-03-10T07:00:00Z", "2030-03-11T06:30:00Z" })]
    [InlineData("30 1 * * *", "2030-11-02T12:00:00Z", "2030-11-04T12:00:00Z", new[] { "2030-11-03T05:30:00Z", "2030-11-04T06:30:00Z" })]
    public async Task FireDue_AcrossDaylightSavingTransitions_OneRunPerDayAtLocalTime(string cron, string from, string to, string[] expected)
    {
        Time.SetUtcNow(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture));
        var schedules = NewScheduleBroker();
        await PutScheduleAsync(schedules, "dst", cron, "America/New_York");
        var end = DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture);

        while (Time.GetUtcNow() < end)
        {
            Time.Advance(TimeSpan.FromMinutes(10));
            await Bounded(schedules.FireDueAsync(100, Ct));
        }

        var fires = (await RunsOfAsync("dst")).Select(t => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(t.IdempotencyKey!.Split(':')[^1],
            System.Globalization.CultureInfo.InvariantCulture))).Order();
        Assert.Equal(expected.Select(e => DateTimeOffset.Parse(e, System.Globalization.CultureInfo.InvariantCulture)), fires);
    }

    [Fact]
    public async Task Trigger_PausedSchedule_SubmitsNowAndKeepsTheTimedRun()
    {
        var schedules = NewScheduleBroker();
        await PutScheduleAsync(schedules, "byhand", "0 0 1 1 *");
        Assert.True((await Bounded(schedules.PauseAsync("byhand", Ct))).IsSuccess);
        Time.Advance(TimeSpan.FromSeconds(3));

        var triggered = await Bounded(schedules.TriggerAsync("byhand", Ct));

        Assert.True(triggered.IsSuccess, triggered.Error?.Message);
        var stored = await GetScheduleRequiredAsync("byhand");
        Assert.Equal((true, (DateTimeOffset?)null, Time.GetUtcNow(), triggered.Value.Task.Id), (stored.Paused, stored.NextRunAt, stored.LastRunAt, stored.LastTaskId));
        Assert.Equal(ErrorCodes.NotFound, (await Bounded(schedules.TriggerAsync("nobody", Ct))).Error?.Code);
    }

    [Fact]
    public async Task Resume_AfterPauseOverRunTimes_NextFutureRunOnly()
    {
        var schedules = NewScheduleBroker();
        await PutScheduleAsync(schedules, "napper", "0 * * * *", missedRuns: MissedRunPolicy.All);
        await Bounded(schedules.PauseAsync("napper", Ct));
        Time.Advance(TimeSpan.FromHours(3.5));

        var resumed = await Bounded(schedules.ResumeAsync("napper", Ct));
        await Bounded(schedules.FireDueAsync(100, Ct));

        Assert.Equal(Start.AddHours(4), resumed.Value!.NextRunAt);
        Assert.Empty(await RunsOfAsync("napper"));
    }

    [Fact]
    public async Task FireDue_QueueFull_RecordsTheErrorAndMovesOn()
    {
        var engine = new EngineOptions { MaxQueueLengths = { ["tiny"] = 0 } };
        var schedules = NewScheduleBroker(engine: engine);
        var put = await Bounded(schedules.UpsertAsync(new ScheduleSpec
        {
            Id = "full",
            Cron = "*/5 * * * *",
            Template = new SubmitTask { Type = "test.echo", Queue = "tiny" },
        }, Ct));
        Assert.True(put.IsSuccess, put.Error?.Message);
        Time.Advance(TimeSpan.FromMinutes(5));

        await Bounded(schedules.FireDueAsync(100, Ct));

        var stored = await GetScheduleRequiredAsync("full");
        Assert.StartsWith(ErrorCodes.QueueFull, stored.LastError, StringComparison.Ordinal);
        Assert.Equal((Start.AddMinutes(10), Start.AddMinutes(5)), (stored.NextRunAt, stored.LastRunAt));
    }

    [Fact]
    public async Task ScheduleRunner_Hosted_FiresWhenTheClockReachesTheRun()
    {
        var schedules = NewScheduleBroker(new ScheduleRunnerOptions { SweepMs = 1_000 }, out var tasks);
        await PutScheduleAsync(schedules, "hosted", "* * * * *");
        var submitted = new TaskCompletionSource<TaskRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        tasks.Moved += move => submitted.TrySetResult(move.Task);
        using var runner = new ScheduleRunner(tasks, schedules, NullLogger<ScheduleRunner>.Instance);
        await runner.StartAsync(Ct);
        try
        {
            // The runner's interval starts with StartAsync: the tick this advance makes is waiting for its loop.
            Time.Advance(TimeSpan.FromSeconds(60.5));

            var task = await submitted.Task.WaitAsync(Bound, Ct);
            Assert.Equal(ScheduleBroker.RunKey("hosted", Start.AddMinutes(1)), task.IdempotencyKey);
        }
        finally
        {
            await runner.StopAsync(CancellationToken.None).WaitAsync(Bound, Ct);
        }
    }

    protected ScheduleBroker NewScheduleBroker(ScheduleRunnerOptions? options = null, EngineOptions? engine = null) =>
        NewScheduleBroker(options, out _, engine);

    protected ScheduleBroker NewScheduleBroker(ScheduleRunnerOptions? options, out TaskBroker tasks, EngineOptions? engine = null)
    {
        _events ??= new TaskEventHub(Microsoft.Extensions.Options.Options.Create(new EventBusOptions()), Time);
        tasks = new TaskBroker(Store, Queries, _events, Microsoft.Extensions.Options.Options.Create(engine ?? new EngineOptions()),
            Time, NullLogger<TaskBroker>.Instance);
        return new ScheduleBroker(Schedules, tasks, Microsoft.Extensions.Options.Options.Create(options ?? new ScheduleRunnerOptions()),
            NullLogger<ScheduleBroker>.Instance);
    }

    protected static async Task PutScheduleAsync(
        ScheduleBroker schedules, string id, string cron, string? zone = null, MissedRunPolicy missedRuns = MissedRunPolicy.Skip)
    {
        var put = await Bounded(schedules.UpsertAsync(
            new ScheduleSpec { Id = id, Cron = cron, TimeZone = zone, MissedRuns = missedRuns, Template = new SubmitTask { Type = "test.echo" } }, Ct));
        Assert.True(put.IsSuccess, put.Error?.Message);
    }

    protected Task<IReadOnlyList<TaskRecord>> RunsOfAsync(string scheduleId) =>
        ListAllAsync(new TaskQuery { Labels = new Dictionary<string, string> { [ScheduleDefaults.Label] = scheduleId }, Limit = 100 });
}
