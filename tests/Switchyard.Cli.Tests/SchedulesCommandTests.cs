using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Tests;

public sealed class SchedulesCommandTests : ServerTest
{
    [Fact]
    public async Task Schedules_PutListGetPauseResumeTriggerRm_EachDoesItsPart()
    {
        var put = await CliRun.RunAsync(Server.BaseAddress,
            ["schedules", "put", "nightly", "--cron", "0 3 * * *", "--tz", "Europe/Paris", "--type", "db.maintenance", "--group", "system",
             "--payload", """{"operation":"vacuum"}""", "--label", "team=ops"]);
        Assert.True(put.ExitCode == 0, put.Error);
        Assert.StartsWith("nightly next ", put.Out, StringComparison.Ordinal);

        var list = await CliRun.RunAsync(Server.BaseAddress, ["schedules", "list"]);
        Assert.Contains("nightly", list.Out, StringComparison.Ordinal);
        Assert.Contains("Europe/Paris", list.Out, StringComparison.Ordinal);
        Assert.Contains("db.maintenance", list.Out, StringComparison.Ordinal);

        var get = await CliRun.RunAsync(Server.BaseAddress, ["schedules", "get", "nightly"]);
        var schedule = JsonSerializer.Deserialize(get.Out, ContractsJsonContext.Default.ScheduleDto)!;
        Assert.Equal(("system", "ops"), (schedule.Template.Group, schedule.Template.Labels!["team"]));

        Assert.Equal("nightly paused", (await CliRun.RunAsync(Server.BaseAddress, ["schedules", "pause", "nightly"])).Out.Trim());
        Assert.StartsWith("nightly next ", (await CliRun.RunAsync(Server.BaseAddress, ["schedules", "resume", "nightly"])).Out, StringComparison.Ordinal);

        var trigger = await CliRun.RunAsync(Server.BaseAddress, ["schedules", "trigger", "nightly"]);
        var task = await Client.GetAsync(trigger.Out.Trim(), cancellationToken: Ct);
        Assert.Equal("nightly", task.Labels!["schedule"]);

        Assert.Equal(0, (await CliRun.RunAsync(Server.BaseAddress, ["schedules", "rm", "nightly"])).ExitCode);
        var gone = await CliRun.RunAsync(Server.BaseAddress, ["schedules", "get", "nightly"]);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("not_found", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulesPut_TemplateJsonAndBadZone_RefusedNamingTheField()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress,
            ["schedules", "put", "x", "--cron", "@daily", "--tz", "Nowhere/Land", "--template", """{"type":"echo","priority":3}"""]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("timeZone", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulesPut_NoType_UsageError()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["schedules", "put", "x", "--cron", "@daily"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--type", run.Error, StringComparison.Ordinal);
    }
}
