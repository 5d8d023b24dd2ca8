using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

public sealed class ReadCommandTests : ServerTest
{
    [Fact]
    public async Task Get_KnownTask_PrintsIndentedJson()
    {
        var id = await SubmitAsync("echo", """{"a":[1,2]}""");

        var run = await CliRun.RunAsync(Server.BaseAddress, ["get", id]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\n  \"id\": ", run.Out, StringComparison.Ordinal);
        var task = JsonSerializer.Deserialize(run.Out, ContractsJsonContext.Default.TaskDto)!;
        Assert.Equal(id, task.Id);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":[1,2]}"""), JsonNode.Parse(task.Payload.Raw)));
    }

    [Fact]
    public async Task Get_UnknownTask_PrintsProblemAndExitsOne()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["get", "nope"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("switchyard: not_found: Task 'nope' was not found or its result has expired.", run.Error.Trim());
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData("60")]
    [InlineData(null)] // until settled
    public async Task Get_WaitForTaskThatSettles_PrintsSettledTask(string? seconds)
    {
        var id = await SubmitAsync("echo");
        var getting = CliRun.RunAsync(Server.BaseAddress, seconds is null ? ["get", id, "--wait"] : ["get", id, "--wait", seconds]);
        await Client.CancelAsync(id, cancellationToken: Ct);

        var run = await getting.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("cancelled", JsonNode.Parse(run.Out)!["state"]!.GetValue<string>());
        Assert.Equal(5, run.ExitCode);
    }

    [Fact]
    public async Task Get_WaitEndsFirst_ExitsSix_WithoutWait_Zero()
    {
        var id = await SubmitAsync("echo");

        var waited = await CliRun.RunAsync(Server.BaseAddress, ["get", id, "--wait", "0.2"]);
        var read = await CliRun.RunAsync(Server.BaseAddress, ["get", id]);

        Assert.Equal((6, 0), (waited.ExitCode, read.ExitCode));
    }

    [Fact]
    public async Task List_Default_PrintsTableOfTasks()
    {
        var a = await SubmitAsync("alpha.job");
        var b = await SubmitAsync("beta.job");

        var run = await CliRun.RunAsync(Server.BaseAddress, ["list"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("STATE", run.Out, StringComparison.Ordinal);
        Assert.Contains(a, run.Out, StringComparison.Ordinal);
        Assert.Contains(b, run.Out, StringComparison.Ordinal);
        Assert.Contains("alpha.job", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FiltersAndJson_PrintsMatchingTasksAsJsonLines()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "q1", Labels = new() { ["env"] = "prod" } }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "q1" }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "b", Queue = "q2", Labels = new() { ["env"] = "prod" } }, cancellationToken: Ct);

        var byQueue = await CliRun.RunAsync(Server.BaseAddress, ["list", "--queue", "q1", "--type", "a", "--json"]);
        var byLabel = await CliRun.RunAsync(Server.BaseAddress, ["list", "--label", "env=prod", "--state", "queued,running", "--json"]);

        Assert.Equal(2, Lines(byQueue.Out).Length);
        Assert.All(Lines(byQueue.Out), l => Assert.Equal("q1", JsonNode.Parse(l)!["queue"]!.GetValue<string>()));
        Assert.Equal(2, Lines(byLabel.Out).Length);

        var claimed = Assert.Single(await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "cron-box", Queues = ["q2"] }, Ct));
        var byWorker = await CliRun.RunAsync(Server.BaseAddress, ["list", "--worker", "cron-box", "--json"]);
        Assert.Equal(claimed.Id, JsonNode.Parse(Assert.Single(Lines(byWorker.Out)))!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_LimitWithMorePages_PrintsCursorAndAllFollowsPages()
    {
        for (var i = 0; i < 3; i++)
        {
            await SubmitAsync("paged");
        }

        var page = await CliRun.RunAsync(Server.BaseAddress, ["list", "--limit", "1", "--json"]);
        var all = await CliRun.RunAsync(Server.BaseAddress, ["list", "--limit", "1", "--all", "--json"]);

        Assert.Single(Lines(page.Out));
        Assert.StartsWith("more: --cursor ", page.Error, StringComparison.Ordinal);
        Assert.Equal(3, Lines(all.Out).Distinct().Count());
    }

    [Fact]
    public async Task List_UnknownState_PrintsValidationProblem()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["list", "--state", "sleeping"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("switchyard: validation_failed: state: 'sleeping' is not a state", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_ClaimedTask_PrintsTableOfMoves()
    {
        var id = await SubmitAsync("echo");
        await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "history-worker" }, Ct);

        var table = await CliRun.RunAsync(Server.BaseAddress, ["history", id]);
        var json = await CliRun.RunAsync(Server.BaseAddress, ["history", id, "--json"]);

        Assert.Contains("submitted", table.Out, StringComparison.Ordinal);
        Assert.Contains("history-worker", table.Out, StringComparison.Ordinal);
        Assert.Equal(["submitted", "claimed"], Lines(json.Out).Select(l => JsonNode.Parse(l)!["event"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Queues_TasksInQueues_PrintsCountsPerState()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "alpha" }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "alpha" }, cancellationToken: Ct);

        var table = await CliRun.RunAsync(Server.BaseAddress, ["queues"]);
        var one = await CliRun.RunAsync(Server.BaseAddress, ["queues", "alpha", "--json"]);

        Assert.Contains("QUEUED", table.Out, StringComparison.Ordinal);
        Assert.Contains("alpha", table.Out, StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(one.Out)!["counts"]!["queued"]!.GetValue<long>());
    }

    private async Task<string> SubmitAsync(string type, string? payload = null) =>
        (await Client.SubmitAsync(new SubmitTaskRequest { Type = type, Payload = payload is null ? null : JsonText.Parse(payload) }, cancellationToken: Ct)).Task.Id;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
