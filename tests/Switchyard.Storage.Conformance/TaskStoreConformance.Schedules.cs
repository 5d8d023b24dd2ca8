using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Scheduling;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>The schedule store: definitions, run times and runs, kept as given.</summary>
public abstract partial class TaskStoreConformance
{
    protected IScheduleStore Schedules => SchedulesOf(Store);

    /// <summary>The schedule side of <paramref name="store"/> (the same object in the embedded store).</summary>
    protected abstract IScheduleStore SchedulesOf(ITaskStore store);

    [Fact]
    public async Task UpsertSchedule_New_CreatedWithEveryTemplateField()
    {
        var template = new SubmitTask
        {
            Type = "report.build",
            Queue = "nightly",
            Group = "gpu",
            Priority = 7,
            Payload = new JsonText("{\"day\":\"today\",\"n\":[1,2]}"),
            MaxAttempts = 5,
            Retry = new RetrySpec(BackoffKind.Fixed, 1_000, 2_000, 1.5, 0.1),
            TimeoutMs = 60_000,
            LeaseMs = 5_000,
            DelayMs = 250,
            Labels = new Dictionary<string, string> { ["team"] = "data" },
            CorrelationId = "corr-1",
            Review = ReviewMode.Required,
            Scope = "tenant-a",
            ResultTtlMs = 10_000,
        };
        var next = Start.AddHours(3);

        var result = await UpsertScheduleAsync(NewSchedule("nightly") with
        {
            Cron = "0 3 * * *",
            TimeZone = "Europe/Paris",
            Template = template,
            MissedRuns = MissedRunPolicy.All,
            NextRunAt = next,
        });

        Assert.True(result.Created);
        var stored = await GetScheduleRequiredAsync("nightly");
        Assert.Equal(("0 3 * * *", "Europe/Paris", MissedRunPolicy.All, false, next), (stored.Cron, stored.TimeZone, stored.MissedRuns, stored.Paused, stored.NextRunAt));
        Assert.Equal(template with { Labels = null, Payload = null }, stored.Template with { Labels = null, Payload = null });
        Assert.Equal("data", stored.Template.Labels!["team"]);
        Assert.Equal(template.Payload!.Value.ToElement().GetRawText(), stored.Template.Payload!.Value.ToElement().GetRawText());
        Assert.Equal((Start, Start), (stored.CreatedAt, stored.UpdatedAt));
        Assert.Null(stored.LastRunAt);
        Assert.Equal(stored, result.Schedule with { Template = stored.Template });
    }

    [Fact]
    public async Task UpsertSchedule_SameTiming_KeepsNextRunLastRunAndCreation()
    {
        var first = Start.AddMinutes(5);
        await UpsertScheduleAsync(NewSchedule("keep") with { NextRunAt = first });
        Assert.True(await RecordRunAsync(new RecordScheduleRunRequest("keep", Start, "task-1", null, null)));
        Time.Advance(TimeSpan.FromMinutes(1));

        var result = await UpsertScheduleAsync(NewSchedule("keep") with
        {
            NextRunAt = first.AddMinutes(5),
            Template = new SubmitTask { Type = "changed.type" },
            MissedRuns = MissedRunPolicy.Once,
        });

        Assert.False(result.Created);
        var stored = await GetScheduleRequiredAsync("keep");
        Assert.Equal((first, Start, "task-1"), (stored.NextRunAt, stored.LastRunAt, stored.LastTaskId));
        Assert.Equal(("changed.type", MissedRunPolicy.Once), (stored.Template.Type, stored.MissedRuns));
        Assert.Equal((Start, Time.GetUtcNow()), (stored.CreatedAt, stored.UpdatedAt));
    }

    [Theory]
    [InlineData("*/10 * * * *", "UTC", false)]
    [InlineData("*/5 * * * *", "Europe/Paris", false)]
    [InlineData("*/5 * * * *", "UTC", true)]
    public async Task UpsertSchedule_TimingOrPauseChanged_TakesTheNewNextRun(string cron, string zone, bool paused)
    {
        await UpsertScheduleAsync(NewSchedule("moved") with { NextRunAt = Start.AddMinutes(5) });
        DateTimeOffset? next = paused ? null : Start.AddMinutes(10);

        await UpsertScheduleAsync(NewSchedule("moved") with { Cron = cron, TimeZone = zone, Paused = paused, NextRunAt = next });

        var stored = await GetScheduleRequiredAsync("moved");
        Assert.Equal((cron, zone, paused, next), (stored.Cron, stored.TimeZone, stored.Paused, stored.NextRunAt));
    }

    [Fact]
    public async Task ListSchedules_PagesInIdOrder()
    {
        foreach (var id in new[] { "c", "a", "d", "b" })
        {
            await UpsertScheduleAsync(NewSchedule(id));
        }

        var first = await Bounded(Schedules.ListSchedulesAsync(new ListSchedulesRequest(null, 3), Ct));
        var second = await Bounded(Schedules.ListSchedulesAsync(new ListSchedulesRequest(first[^1].Id, 3), Ct));

        Assert.Equal(["a", "b", "c"], first.Select(s => s.Id));
        Assert.Equal(["d"], second.Select(s => s.Id));
    }

    [Fact]
    public async Task DeleteSchedule_Existing_GoneAndSecondDeleteFalse()
    {
        await UpsertScheduleAsync(NewSchedule("doomed"));

        Assert.True(await Bounded(Schedules.DeleteScheduleAsync(new DeleteScheduleRequest("doomed"), Ct)));
        Assert.False(await Bounded(Schedules.DeleteScheduleAsync(new DeleteScheduleRequest("doomed"), Ct)));
        Assert.Null(await Bounded(Schedules.GetScheduleAsync("doomed", Ct)));
    }

    [Fact]
    public async Task SetSchedulePaused_PauseThenResume_NotDueWhilePaused()
    {
        await UpsertScheduleAsync(NewSchedule("sleepy") with { NextRunAt = Start });

        var paused = await Bounded(Schedules.SetSchedulePausedAsync(new SetSchedulePausedRequest("sleepy", true, null), Ct));

        Assert.Equal((true, (DateTimeOffset?)null), (paused!.Paused, paused.NextRunAt));
        Assert.Empty(await DueAsync());
        var resumed = await Bounded(Schedules.SetSchedulePausedAsync(new SetSchedulePausedRequest("sleepy", false, Start), Ct));
        Assert.Equal((false, (DateTimeOffset?)Start), (resumed!.Paused, resumed.NextRunAt));
        Assert.Equal(["sleepy"], (await DueAsync()).Select(s => s.Id));
        Assert.Null(await Bounded(Schedules.SetSchedulePausedAsync(new SetSchedulePausedRequest("nobody", true, null), Ct)));
    }

    [Fact]
    public async Task ListDueSchedules_OnlyUnpausedAtOrBeforeNow_SoonestFirstAndBounded()
    {
        await UpsertScheduleAsync(NewSchedule("later") with { NextRunAt = Start.AddMilliseconds(1) });
        await UpsertScheduleAsync(NewSchedule("now") with { NextRunAt = Start });
        await UpsertScheduleAsync(NewSchedule("earlier") with { NextRunAt = Start.AddMinutes(-1) });
        await UpsertScheduleAsync(NewSchedule("paused") with { Paused = true, NextRunAt = null });
        await UpsertScheduleAsync(NewSchedule("never") with { NextRunAt = null });

        Assert.Equal(["earlier", "now"], (await DueAsync()).Select(s => s.Id));
        Assert.Equal(["earlier"], (await DueAsync(1)).Select(s => s.Id));
    }

    [Fact]
    public async Task RecordScheduleRun_Advance_ComparesTheNextRunItRead()
    {
        await UpsertScheduleAsync(NewSchedule("cas") with { NextRunAt = Start });
        var next = Start.AddMinutes(5);

        Assert.False(await RecordRunAsync(new RecordScheduleRunRequest("cas", Start, "t-0", null, new ScheduleAdvance(Start.AddSeconds(-1), next))));
        Assert.Null((await GetScheduleRequiredAsync("cas")).LastTaskId);
        Assert.True(await RecordRunAsync(new RecordScheduleRunRequest("cas", Start, "t-1", null, new ScheduleAdvance(Start, next))));
        Assert.False(await RecordRunAsync(new RecordScheduleRunRequest("cas", Start, "t-2", null, new ScheduleAdvance(Start, next))));

        var stored = await GetScheduleRequiredAsync("cas");
        Assert.Equal((next, Start, "t-1", (string?)null), (stored.NextRunAt, stored.LastRunAt, stored.LastTaskId, stored.LastError));
    }

    [Fact]
    public async Task RecordScheduleRun_PausedMeanwhile_AdvanceRefused()
    {
        await UpsertScheduleAsync(NewSchedule("stopped") with { NextRunAt = Start });
        await Bounded(Schedules.SetSchedulePausedAsync(new SetSchedulePausedRequest("stopped", true, Start), Ct));

        Assert.False(await RecordRunAsync(new RecordScheduleRunRequest("stopped", Start, "t", null, new ScheduleAdvance(Start, Start.AddMinutes(1)))));
    }

    [Fact]
    public async Task RecordScheduleRun_ByHandOrAllDropped_TouchesOnlyWhatItNames()
    {
        var next = Start.AddMinutes(5);
        await UpsertScheduleAsync(NewSchedule("manual") with { NextRunAt = next });

        Assert.True(await RecordRunAsync(new RecordScheduleRunRequest("manual", Start, null, "queue_full: no room", null)));
        var byHand = await GetScheduleRequiredAsync("manual");
        Assert.Equal((next, Start, (string?)null, "queue_full: no room"), (byHand.NextRunAt, byHand.LastRunAt, byHand.LastTaskId, byHand.LastError));

        Assert.True(await RecordRunAsync(new RecordScheduleRunRequest("manual", null, null, null, new ScheduleAdvance(next, next.AddMinutes(5)))));
        var dropped = await GetScheduleRequiredAsync("manual");
        Assert.Equal((next.AddMinutes(5), Start, "queue_full: no room"), (dropped.NextRunAt, dropped.LastRunAt, dropped.LastError));
        Assert.False(await RecordRunAsync(new RecordScheduleRunRequest("nobody", Start, "t", null, null)));
    }

    [Fact]
    public async Task Schedules_AfterRestart_StillThere()
    {
        await UpsertScheduleAsync(NewSchedule("durable") with { NextRunAt = Start });

        await Sut.RestartAsync(Ct).WaitAsync(Bound, Ct);

        Assert.Equal(["durable"], (await DueAsync()).Select(s => s.Id));
    }

    protected static Schedule NewSchedule(string id) => new()
    {
        Id = id,
        Cron = "*/5 * * * *",
        Template = new SubmitTask { Type = "test.echo" },
        NextRunAt = Start.AddMinutes(5),
    };

    protected async Task<UpsertScheduleResult> UpsertScheduleAsync(Schedule schedule) =>
        await Bounded(Schedules.UpsertScheduleAsync(new UpsertScheduleRequest(schedule), Ct));

    protected async Task<Schedule> GetScheduleRequiredAsync(string id) =>
        await Bounded(Schedules.GetScheduleAsync(id, Ct)) ?? throw new Xunit.Sdk.XunitException($"Schedule '{id}' is missing.");

    protected Task<bool> RecordRunAsync(RecordScheduleRunRequest request) => Bounded(Schedules.RecordScheduleRunAsync(request, Ct));

    protected Task<IReadOnlyList<Schedule>> DueAsync(int max = 100) =>
        Bounded(Schedules.ListDueSchedulesAsync(new DueSchedulesRequest(Time.GetUtcNow(), max), Ct));
}
