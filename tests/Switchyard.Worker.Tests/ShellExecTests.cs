using System.Globalization;
using System.Text.Json;
using Switchyard.Worker.Handlers;

namespace Switchyard.Worker.Tests;

public sealed class ShellExecTests : WorkerTest
{
    private readonly string _temp;

    public ShellExecTests()
    {
        _temp = TempDirectory();
    }

    [Fact]
    public async Task Argv_RunsWithoutShell_ResultHasExitCodeAndOutput()
    {
        var result = await CompletedAsync("""{"argv":["echo","hello","$HOME"]}""");

        Assert.Equal(0, result.GetProperty("exitCode").GetInt32());
        Assert.Equal("hello $HOME\n", result.GetProperty("stdout").GetString());
        Assert.Equal("", result.GetProperty("stderr").GetString());
    }

    [Fact]
    public async Task Command_RunsThroughShellWithStdinEnvAndCwd()
    {
        var payload = JsonSerializer.Serialize(new
        {
            command = "cat; echo \"$GREETING from $(pwd) task $SWITCHYARD_TASK_TYPE\" >&2",
            stdin = "piped in",
            env = new Dictionary<string, string> { ["GREETING"] = "hi" },
            cwd = _temp,
        });

        var result = await CompletedAsync(payload);

        Assert.Equal("piped in", result.GetProperty("stdout").GetString());
        Assert.Equal($"hi from {_temp} task shell.exec\n", result.GetProperty("stderr").GetString());
    }

    [Fact]
    public async Task NonZeroExit_FailsRetryableWithOutputInDetails()
    {
        await StartAsync(NewWorker().HandleBuiltIn([ShellExecHandler.TypeName]));

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync(ShellExecHandler.TypeName,
            """{"command":"echo out; echo broke >&2; exit 3"}""", r => r with { MaxAttempts = 2, Retry = new("fixed", 0) })).Id);

        Assert.Equal(("failed", 2), (done.State, done.Attempt));
        Assert.Equal(("exit_code", "retryable"), (done.Error?.Code, done.Error?.Kind));
        Assert.Equal("The command exited with code 3: broke", done.Error?.Message);
        Assert.Equal(3, JsonDocument.Parse(done.Error!.Details!.Value.Raw).RootElement.GetProperty("exitCode").GetInt32());
    }

    [Theory]
    [InlineData("fatal", "failed", 1)]
    [InlineData("complete", "completed", 1)]
    public async Task NonZeroExit_PayloadSaysOtherwise(string nonZeroExit, string state, int attempts)
    {
        await StartAsync(NewWorker().HandleBuiltIn([ShellExecHandler.TypeName]));

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync(ShellExecHandler.TypeName,
            $$"""{"argv":["false"],"nonZeroExit":"{{nonZeroExit}}"}""", r => r with { MaxAttempts = 3, Retry = new("fixed", 0) })).Id);

        Assert.Equal((state, attempts), (done.State, done.Attempt));
    }

    [Theory]
    [InlineData("""{"argv":[]}""", "shell.exec: give argv (a non-empty list of strings) or command (a string)")]
    [InlineData("""{}""", "shell.exec: give argv (a non-empty list of strings) or command (a string)")]
    [InlineData("""{"argv":["true"],"command":"true"}""", "shell.exec: give either argv (a non-empty list) or command (a string), not both")]
    [InlineData("""{"command":"true","timeout":5}""", "The payload does not fit a 'shell.exec' task: $.timeout: unknown field 'timeout'; this object takes ")]
    [InlineData("""{"command":5}""",
        "The payload does not fit a 'shell.exec' task: $.command: the value has the wrong JSON type or format for this field: a string.")]
    [InlineData("""{"argv":["no-such-program-here"]}""", "'no-such-program-here' is not an executable on this worker.")]
    [InlineData("""{"argv":["true"],"cwd":"/no/such/dir"}""", null)]
    public async Task BadPayload_FailsFatalSayingWhatIsWrong(string payload, string? message)
    {
        await StartAsync(NewWorker().HandleBuiltIn([ShellExecHandler.TypeName]));

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync(ShellExecHandler.TypeName, payload, r => r with { MaxAttempts = 3 })).Id);

        Assert.Equal(("failed", 1, "fatal"), (done.State, done.Attempt, done.Error?.Kind));
        if (message is not null)
        {
            Assert.StartsWith(message, done.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Timeout_KillsCommandAndFailsRetryable()
    {
        await StartAsync(NewWorker().HandleBuiltIn([ShellExecHandler.TypeName]));

        var done = await Server.WaitSettledAsync((await Server.SubmitAsync(ShellExecHandler.TypeName,
            """{"argv":["sleep","30"],"timeoutMs":300}""", r => r with { MaxAttempts = 1 })).Id);

        Assert.Equal(("failed", "timeout", "retryable"), (done.State, done.Error?.Code, done.Error?.Kind));
    }

    [Fact]
    public async Task TaskCancelled_KillsTheCommandsWholeProcessGroup()
    {
        var pidFile = Path.Combine(_temp, "child.pid");
        var handler = new SignallingHandler(new ShellExecHandler());
        await StartAsync(NewWorker().Handle(ShellExecHandler.TypeName, handler));
        var payload = JsonSerializer.Serialize(new { command = $"sleep 300 & echo $! > {pidFile}; wait" });
        var task = await Server.SubmitAsync(ShellExecHandler.TypeName, payload);
        var child = int.Parse(await FileSignal.WaitForContentAsync(pidFile, Bound), CultureInfo.InvariantCulture);
        Assert.True(FileSignal.IsAlive(child));

        await Client.CancelAsync(task.Id, cancellationToken: Ct);

        await handler.Ended.Task.WaitAsync(Bound, Ct);
        Assert.False(FileSignal.IsAlive(child), $"the command's child {child} still runs");
        Assert.Equal("cancelled", (await Client.GetAsync(task.Id, cancellationToken: Ct)).State);
    }

    private async Task<JsonElement> CompletedAsync(string payload)
    {
        await StartAsync(NewWorker().HandleBuiltIn([ShellExecHandler.TypeName]));
        var done = await Server.WaitSettledAsync((await Server.SubmitAsync(ShellExecHandler.TypeName, payload)).Id);
        Assert.True(done.State == "completed", $"{done.State}: {done.Error?.Code} {done.Error?.Message}");
        return JsonDocument.Parse(done.Result!.Value.Raw).RootElement;
    }
}
