using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Client.Contracts;

namespace Switchyard.Tests;

public sealed class SubmitCommandTests : ServerTest
{
    [Fact]
    public async Task Submit_PayloadArgument_PrintsIdOfStoredTask()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", """{"a":1}"""]);

        Assert.Equal(0, run.ExitCode);
        var task = await Client.GetAsync(run.Out.Trim(), cancellationToken: Ct);
        Assert.Equal("echo", task.Type);
        Assert.Equal("""{"a":1}""", task.Payload.Raw);
    }

    [Fact]
    public async Task Submit_AllOptions_AreSentToServer()
    {
        var runAt = "2099-01-02T03:04:05Z";
        var run = await CliRun.RunAsync(Server.BaseAddress,
        [
            "submit", "llm.chat", "{}", "--queue", "q1", "--group", "gpt", "--priority", "7", "--max-attempts", "5",
            "--timeout-ms", "900000", "--run-at", runAt, "--idempotency-key", "k1", "--label", "team=core", "--label", "env=prod",
            "--id", "my-task", "--review", "--json",
        ]);

        Assert.Equal(0, run.ExitCode);
        var task = JsonSerializer.Deserialize(run.Out, ContractsJsonContext.Default.TaskDto)!;
        Assert.Equal(("my-task", "q1", "gpt", 7, 5), (task.Id, task.Queue, task.Group, task.Priority, task.MaxAttempts));
        Assert.Equal(("scheduled", "required", "k1"), (task.State, task.Review, task.IdempotencyKey));
        Assert.Equal(DateTimeOffset.Parse(runAt, System.Globalization.CultureInfo.InvariantCulture), task.RunAt);
        Assert.Equal(900_000, task.TimeoutMs);
        Assert.Equal("core", task.Labels["team"]);
        Assert.Equal("prod", task.Labels["env"]);
    }

    [Fact]
    public async Task Submit_DelayMs_SchedulesTask()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "later", "--delay-ms", "600000", "--json"]);

        Assert.Equal("scheduled", JsonNode.Parse(run.Out)!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_DashPayload_ReadsStandardInput()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "-"], stdin: """{"from":"stdin"}""");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("""{"from":"stdin"}""", (await Client.GetAsync(run.Out.Trim(), cancellationToken: Ct)).Payload.Raw);
    }

    [Fact]
    public async Task Submit_NoPayloadAndRedirectedInput_ReadsStandardInput()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo"], stdin: "[1, 2, 3]\n");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[1,2,3]"),
            JsonNode.Parse((await Client.GetAsync(run.Out.Trim(), cancellationToken: Ct)).Payload.Raw)));
    }

    [Fact]
    public async Task Submit_FileOption_ReadsPayloadFromFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{"from":"file"}""", Ct);

            var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "--file", file]);

            Assert.Equal("""{"from":"file"}""", (await Client.GetAsync(run.Out.Trim(), cancellationToken: Ct)).Payload.Raw);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Submit_InvalidJsonPayload_ExitsTwoWithoutSubmitting()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "{not json"]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("switchyard: the payload is not valid JSON: 'n' is an invalid start of a property name. Expected a '\"' (line 1, column 2)", run.Error, StringComparison.Ordinal);
        Assert.Empty((await Client.ListAsync(cancellationToken: Ct)).Tasks);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyTwice_PrintsSameIdAndSaysNothingNewWasStored()
    {
        var first = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "-k", "once"]);
        var second = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "-k", "once"]);

        Assert.Equal(first.Out, second.Out);
        Assert.Contains("idempotency key matched", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_BadLabel_ExitsTwo()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "--label", "novalue"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("key=value", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_InvalidQueueName_PrintsServerProblemAndExitsOne()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "--queue", "bad queue!"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("switchyard: validation_failed: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WaitSecondsNotEnough_PrintsUnsettledTaskAndExitsSix()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "--wait", "0.05"]);

        Assert.Equal(6, run.ExitCode);
        Assert.Equal("queued", JsonNode.Parse(run.Out)!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_WaitWithoutValueBeforePayload_WaitsUntilSettled()
    {
        var submitting = CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "--wait", """{"n":1}"""]);
        var claimed = await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w", WaitMs = 20_000 }, Ct);
        var task = Assert.Single(claimed);
        await Client.CancelAsync(task.Id, "test", Ct);

        var run = await submitting.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("""{"n":1}""", task.Payload.Raw);
        Assert.Equal(5, run.ExitCode);
        Assert.Equal("cancelled", JsonNode.Parse(run.Out)!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_Wait_PrintsResultOnceWorkerCompletesIt()
    {
        var submitting = CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", """{"hello":"world"}""", "--wait"]);
        var worker = await CliRun.RunAsync(Server.BaseAddress, ["worker", "--exec", "cat", "--max-tasks", "1"])
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var run = await submitting.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(0, worker.ExitCode);
        Assert.Equal(0, run.ExitCode);
        var task = JsonNode.Parse(run.Out)!;
        Assert.Equal("completed", task["state"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"hello":"world"}"""), task["result"]));
    }

    [Fact]
    public async Task Submit_WaitedTaskFails_ExitsFour()
    {
        var submitting = CliRun.RunAsync(Server.BaseAddress, ["submit", "job", "--max-attempts", "1", "--wait", "60"]);
        await CliRun.RunAsync(Server.BaseAddress, ["worker", "--exec", "exit 1", "--max-tasks", "1"]).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var run = await submitting.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("failed", JsonNode.Parse(run.Out)!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_WaitInterrupted_NamesTheTaskThatGoesOn()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var submitting = CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", "--wait"], stopping: stop.Token);
        var task = Assert.Single(await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w", WaitMs = 20_000 }, Ct));

        await stop.CancelAsync();
        var run = await submitting.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(130, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Equal($"switchyard: stopped waiting; task {task.Id} is running and goes on " +
            $"(follow it: switchyard get {task.Id} --wait; stop it: switchyard cancel {task.Id})", run.Error.Trim());
    }

    [Fact]
    public async Task Submit_WaitServerUnreachable_SaysItTriesAgainAndWhatMayStand()
    {
        var error = new SignalWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var submitting = CliRun.RunAsync(new Uri("http://127.0.0.1:1"), ["submit", "echo", "--wait", "--id", "t-1"], error: error, stopping: stop.Token);

        var notice = await error.WaitForLineAsync("trying again").WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await stop.CancelAsync();
        var run = await submitting.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.StartsWith("switchyard: cannot reach the server: ", notice, StringComparison.Ordinal);
        Assert.EndsWith("; trying again for up to 60 s (task t-1 may have been stored)", notice, StringComparison.Ordinal);
        Assert.Equal(130, run.ExitCode);
        Assert.EndsWith("switchyard: stopped waiting; task t-1 may have been stored (switchyard get t-1 tells)", run.Error.Trim(), StringComparison.Ordinal);
    }
}
