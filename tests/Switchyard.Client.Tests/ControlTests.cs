using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

public sealed class ControlTests : ServerTest
{
    [Fact]
    public async Task TaskTypes_PutListGetDelete_RoundTrip()
    {
        var stored = await Client.PutTaskTypeAsync(new TaskTypeDto
        {
            Type = "fs.scan",
            PayloadSchema = JsonText.Parse("""{"type": "object", "required": ["path"]}"""),
            Defaults = new TaskTypeDefaultsDto { Queue = "io", Retry = new RetryDto("fixed", 100) },
            Concurrency = 2,
        }, Ct);

        Assert.Equal(("api", 2, "io"), (stored.Source, stored.Concurrency, stored.Defaults!.Queue));
        Assert.Equal(["fs.scan"], (await Client.ListTaskTypesAsync(Ct)).Select(t => t.Type));
        Assert.Equal(stored, await Client.GetTaskTypeAsync("fs.scan", Ct));

        var refused = await Assert.ThrowsAsync<SwitchyardApiException>(() =>
            Client.SubmitAsync(new SubmitTaskRequest { Type = "fs.scan", Payload = JsonText.Parse("{}") }, cancellationToken: Ct));
        Assert.Equal("validation_failed", refused.Code);
        Assert.Equal(["is required"], refused.Errors["payload.path"]);

        await Client.DeleteTaskTypeAsync("fs.scan", Ct);
        var gone = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.DeleteTaskTypeAsync("fs.scan", Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Queues_PauseUpdateResume_SettingsComeBack()
    {
        Assert.True((await Client.PauseQueueAsync("llm", Ct)).Settings!.Paused);

        var updated = await Client.UpdateQueueAsync("llm", JsonText.Parse("""{"maxRunning": 3, "scopeWeights": {"acme": 2}}"""), Ct);
        Assert.Equal((true, 3, 2), (updated.Settings!.Paused, updated.Settings.MaxRunning, updated.Settings.ScopeWeights!["acme"]));

        var resumed = await Client.ResumeQueueAsync("llm", Ct);
        Assert.False(resumed.Settings!.Paused);
        Assert.Equal(3, (await Client.GetQueueAsync("llm", Ct)).Settings!.MaxRunning);

        var bad = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.UpdateQueueAsync("llm", JsonText.Parse("""{"maxRunning": 0}"""), Ct));
        Assert.Equal("validation_failed", bad.Code);
    }

    [Fact]
    public async Task Names_WithSlashes_AddressableInTheUrl()
    {
        await Client.PutTaskTypeAsync(new TaskTypeDto { Type = "team/chat", Concurrency = 1 }, Ct);
        await Client.PauseQueueAsync("team/llm", Ct);

        Assert.Equal("team/chat", (await Client.GetTaskTypeAsync("team/chat", Ct)).Type);
        Assert.Equal("team/llm", (await Client.GetQueueAsync("team/llm", Ct)).Name);
        Assert.True((await Client.GetQueueAsync("team/llm", Ct)).Settings!.Paused);
        await Client.DeleteTaskTypeAsync("team/chat", Ct);
    }
}
