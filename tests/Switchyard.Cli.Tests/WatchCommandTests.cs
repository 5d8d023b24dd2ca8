using System.Globalization;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Tests;

public sealed class WatchCommandTests : ServerTest
{
    [Fact]
    public async Task Watch_JsonFromLastEventId_PrintsOneEventPerLineInOrder()
    {
        var stats = await Client.GetEventStatsAsync(Ct);
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo", Queue = "watched" }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo", Queue = "elsewhere" }, cancellationToken: Ct);
        var claimed = Assert.Single(await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w", Queues = ["watched"] }, Ct));
        await Client.CompleteAsync(claimed.Id, claimed.Lease!.Token, cancellationToken: Ct);

        var run = await CliRun.RunAsync(Server.BaseAddress,
            ["watch", "--json", "--queue", "watched", "--last-event-id", (stats.FirstSeq - 1).ToString(CultureInfo.InvariantCulture), "--count", "3"])
            .WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(0, run.ExitCode);
        var events = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize(line, ContractsJsonContext.Default.EventDto)!).ToArray();
        Assert.Equal(["task.queued", "task.started", "task.completed"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(submitted.Task.Id, e.TaskId));
        Assert.Equal(events.Select(e => e.Seq).Order(), events.Select(e => e.Seq));
    }

    [Fact]
    public async Task Watch_PipedWithoutJson_PrintsOneTextLinePerEvent()
    {
        var stats = await Client.GetEventStatsAsync(Ct);
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);

        var run = await CliRun.RunAsync(Server.BaseAddress,
            ["watch", "--type", "task-queued", "--last-event-id", (stats.FirstSeq - 1).ToString(CultureInfo.InvariantCulture), "-n", "1"])
            .WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("task.queued", line, StringComparison.Ordinal);
        Assert.Contains(submitted.Task.Id, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_UnknownType_PrintsValidationProblemAndExitsOne()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["watch", "--type", "task.finished"]).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("switchyard: validation_failed: type: 'task.finished' is not an event type", run.Error, StringComparison.Ordinal);
    }
}
