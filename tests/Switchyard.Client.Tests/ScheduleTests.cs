using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

public sealed class ScheduleTests : ServerTest
{
    [Fact]
    public async Task ScheduleMethods_FullLifecycle_RoundTripThroughTheServer()
    {
        var request = new PutScheduleRequest
        {
            Cron = "*/10 * * * *",
            MissedRuns = "all",
            Template = new SubmitTaskRequest { Type = "report.build", Queue = "reports", Payload = new JsonText("""{"n":1}""") },
        };

        var created = await Client.PutScheduleAsync("reports", request, Ct);
        var listed = await Client.ListSchedulesAsync(cancellationToken: Ct);
        var paused = await Client.PauseScheduleAsync("reports", Ct);
        var resumed = await Client.ResumeScheduleAsync("reports", Ct);
        var task = await Client.TriggerScheduleAsync("reports", Ct);
        var fetched = await Client.GetScheduleAsync("reports", Ct);
        await Client.DeleteScheduleAsync("reports", Ct);

        Assert.Equal(("reports", "all", "UTC", "report.build"), (created.Id, created.MissedRuns, created.TimeZone, created.Template.Type));
        Assert.Equal(["reports"], listed.Schedules.Select(s => s.Id));
        Assert.True(paused.Paused);
        Assert.Equal(created.NextRunAt, resumed.NextRunAt);
        Assert.Equal(("report.build", "reports", "reports"), (task.Type, task.Queue, task.Labels!["schedule"]));
        Assert.Equal(task.Id, fetched.LastTaskId);
        var gone = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.GetScheduleAsync("reports", Ct));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (gone.StatusCode, gone.Code));
    }

    [Fact]
    public async Task PutScheduleAsync_BadCron_ThrowsWithTheField()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.PutScheduleAsync("bad",
            new PutScheduleRequest { Cron = "whenever", Template = new SubmitTaskRequest { Type = "echo" } }, Ct));

        Assert.Equal("validation_failed", ex.Code);
        Assert.True(ex.Errors.ContainsKey("cron"));
    }
}
