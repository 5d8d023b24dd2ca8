using System.Text.Json.Nodes;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

public sealed class WorkerCommandTests : ServerTest
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Worker_Cat_CompletesTaskWithPayloadAsResult()
    {
        var submit = await CliRun.RunAsync(Server.BaseAddress, ["submit", "echo", """{"text":"héllo","n":[1,2,3]}"""]);
        var id = submit.Out.Trim();

        var worker = await CliRun.RunAsync(Server.BaseAddress, ["worker", "--exec", "cat", "--max-tasks", "1"]).WaitAsync(Bound, Ct);

        var task = await Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal(0, worker.ExitCode);
        Assert.Equal("completed", task.State);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(task.Payload.Raw), JsonNode.Parse(task.Result!.Value.Raw)));
        Assert.Matches($@"{id} echo completed \d+\.\d+s", worker.Error);
    }

    [Fact]
    public async Task Worker_FailingCommand_FailsTaskWithLastStderrLines()
    {
        var id = await SubmitAsync("job", maxAttempts: 2);

        var worker = await CliRun.RunAsync(Server.BaseAddress, ["worker", "--exec", "echo boom >&2; exit 3", "--max-tasks", "1"]).WaitAsync(Bound, Ct);

        var task = await Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal(0, worker.ExitCode);
        Assert.True(task.State is "queued" or "scheduled", task.State);
        Assert.Equal(("command_failed", "retryable"), (task.Error?.Code, task.Error?.Kind));
        Assert.Contains("boom", task.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("""{"exitCode":3}""", task.Error.Details?.Raw);
        Assert.Contains($"{id} job retrying", worker.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_FailingCommandWithFatalKind_FailsTaskForGood()
    {
        var id = await SubmitAsync("job", maxAttempts: 5);

        await CliRun.RunAsync(Server.BaseAddress, ["worker", "--exec", "echo nope >&2; exit 1", "--fail-kind", "fatal", "--once"]).WaitAsync(Bound, Ct);

        var task = await Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal("failed", task.State);
        Assert.Equal("nope", task.Error?.Message);
    }

    [Fact]
    public async Task Worker_TextOutput_BecomesJsonStringResult()
    {
        var id = await SubmitAsync("text");

        await CliRun.RunAsync(Server.BaseAddress, ["worker", "--exec", "echo plain words", "--max-tasks", "1"]).WaitAsync(Bound, Ct);

        Assert.Equal("\"plain words\"", (await Client.GetAsync(id, cancellationToken: Ct)).Result?.Raw);
    }

    [Fact]
    public async Task Worker_Command_SeesTaskInEnvironment()
    {
        var id = await SubmitAsync("env.check");

        await CliRun.RunAsync(Server.BaseAddress,
            ["worker", "--exec", """printf '{"id":"%s","type":"%s","attempt":%s}' "$SWITCHYARD_TASK_ID" "$SWITCHYARD_TASK_TYPE" "$SWITCHYARD_ATTEMPT" """, "--max-tasks", "1"])
            .WaitAsync(Bound, Ct);

        var result = JsonNode.Parse((await Client.GetAsync(id, cancellationToken: Ct)).Result!.Value.Raw)!;
        Assert.Equal((id, "env.check", 1), (result["id"]!.GetValue<string>(), result["type"]!.GetValue<string>(), result["attempt"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Worker_ConcurrencyTwo_RunsFilteredTasksOfItsQueue()
    {
        var a = await SubmitAsync("wanted", queue: "q1");
        var b = await SubmitAsync("wanted", queue: "q1");
        var other = await SubmitAsync("unwanted", queue: "q1");

        var worker = await CliRun.RunAsync(Server.BaseAddress,
            ["worker", "--exec", "cat", "--queue", "q1", "--type", "wanted", "--concurrency", "2", "--max-tasks", "2", "--worker-id", "w-two"])
            .WaitAsync(Bound, Ct);

        Assert.Equal(0, worker.ExitCode);
        Assert.Equal("completed", (await Client.GetAsync(a, cancellationToken: Ct)).State);
        Assert.Equal("completed", (await Client.GetAsync(b, cancellationToken: Ct)).State);
        Assert.Equal("queued", (await Client.GetAsync(other, cancellationToken: Ct)).State);
        Assert.Contains("worker w-two", worker.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_OnceWithoutWork_ExitsAfterOneClaim()
    {
        var worker = await CliRun.RunAsync(Server.BaseAddress, ["worker", "--exec", "cat", "--once", "--wait-ms", "10"]).WaitAsync(Bound, Ct);

        Assert.Equal(0, worker.ExitCode);
    }

    [Fact]
    public async Task Worker_TaskCancelledWhileRunning_KillsCommandWellBeforeItEnds()
    {
        var id = await SubmitAsync("sleepy");
        var log = new SignalWriter();
        var worker = CliRun.RunAsync(Server.BaseAddress,
            ["worker", "--exec", "sleep 30", "--lease-ms", "1500", "--max-tasks", "1", "--verbose"], error: log);
        await log.WaitForLineAsync($"{id} sleepy started").WaitAsync(Bound, Ct);

        await Client.CancelAsync(id, "taking too long", Ct);
        var run = await worker.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"{id} sleepy cancelled", run.Error, StringComparison.Ordinal);
        Assert.Equal("cancelled", (await Client.GetAsync(id, cancellationToken: Ct)).State);
    }

    [Fact]
    public async Task Worker_StopRequestedWhileRunning_KillsAfterGraceAndReportsRetryable()
    {
        var id = await SubmitAsync("sleepy", maxAttempts: 3);
        var log = new SignalWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var worker = CliRun.RunAsync(Server.BaseAddress,
            ["worker", "--exec", "sleep 30", "--grace-seconds", "0.2", "--verbose"], error: log, stopping: stop.Token);
        await log.WaitForLineAsync($"{id} sleepy started").WaitAsync(Bound, Ct);

        await stop.CancelAsync();
        var run = await worker.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        var task = await Client.GetAsync(id, cancellationToken: Ct);
        Assert.Contains($"{id} sleepy abandoned", run.Error, StringComparison.Ordinal);
        Assert.True(task.State is "queued" or "scheduled", task.State);
        Assert.Equal(("worker_stopped", "retryable"), (task.Error?.Code, task.Error?.Kind));
    }

    private async Task<string> SubmitAsync(string type, int? maxAttempts = null, string? queue = null) =>
        (await Client.SubmitAsync(new SubmitTaskRequest { Type = type, MaxAttempts = maxAttempts, Queue = queue, Payload = JsonText.Parse("{}") },
            cancellationToken: Ct)).Task.Id;
}
