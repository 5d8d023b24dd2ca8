using System.Text.Json.Nodes;
using Switchyard.Client.Contracts;

namespace Switchyard.Tests;

public sealed class WorkCommandTests : ServerTest
{
    [Fact]
    public async Task ClaimHeartbeatComplete_ScriptedWorker_CompletesTaskWithResultFromStdin()
    {
        var id = (await Client.SubmitAsync(new SubmitTaskRequest { Type = "job" }, cancellationToken: Ct)).Task.Id;

        var claim = await CliRun.RunAsync(Server.BaseAddress, ["claim", "--worker", "script-1", "--max", "5"]);
        var claimed = JsonNode.Parse(claim.Out)!;
        var token = claimed["lease"]!["token"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var beat = await CliRun.RunAsync(Server.BaseAddress, ["heartbeat", id, "--token", token, "--percent", "40", "--message", "working"]);
        var progress = (await Client.GetAsync(id, cancellationToken: Ct)).Progress;
        var complete = await CliRun.RunAsync(Server.BaseAddress, ["complete", id, "--token", token, "-"], stdin: """{"done":true}""");

        Assert.Equal(0, claim.ExitCode);
        Assert.Equal(id, claimed["id"]!.GetValue<string>());
        Assert.Equal(0, beat.ExitCode);
        Assert.StartsWith($"{id} leased until ", beat.Out, StringComparison.Ordinal);
        Assert.Equal((40.0, "working"), (progress?.Percent, progress?.Message));
        Assert.Equal($"{id} completed", complete.Out.Trim());
        Assert.Equal("""{"done":true}""", (await Client.GetAsync(id, cancellationToken: Ct)).Result?.Raw);
    }

    [Fact]
    public async Task Claim_NoWork_PrintsNothing()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["claim", "--worker", "w", "--wait-ms", "10"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Claim_WithoutWorker_ExitsTwo()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["claim"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--worker", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_FatalKind_FailsTaskWithMessageAndCode()
    {
        var (id, token) = await SubmitAndClaimAsync();

        var run = await CliRun.RunAsync(Server.BaseAddress, ["fail", id, "--token", token, "--message", "bad input", "--kind", "fatal", "--code", "E42"]);

        Assert.Equal($"{id} failed", run.Out.Trim());
        var error = (await Client.GetAsync(id, cancellationToken: Ct)).Error;
        Assert.Equal(("E42", "bad input", "fatal"), (error?.Code, error?.Message, error?.Kind));
    }

    [Fact]
    public async Task Fail_RetryAfter_SchedulesRetry()
    {
        var (id, token) = await SubmitAndClaimAsync();

        var run = await CliRun.RunAsync(Server.BaseAddress, ["fail", id, "--token", token, "-m", "later", "--retry-after-ms", "600000"]);

        Assert.Equal($"{id} scheduled", run.Out.Trim());
    }

    [Fact]
    public async Task Fail_UnknownKind_ExitsTwo()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["fail", "x", "--token", "1", "-m", "m", "--kind", "sometimes"]);

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task Complete_StaleToken_PrintsStaleLeaseAndExitsOne()
    {
        var (id, _) = await SubmitAndClaimAsync();

        var run = await CliRun.RunAsync(Server.BaseAddress, ["complete", id, "--token", "999", "42"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("switchyard: stale_lease: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelThenRetry_PrintIdAndNewState()
    {
        var id = (await Client.SubmitAsync(new SubmitTaskRequest { Type = "job" }, cancellationToken: Ct)).Task.Id;

        var cancel = await CliRun.RunAsync(Server.BaseAddress, ["cancel", id, "--reason", "oops"]);
        var retry = await CliRun.RunAsync(Server.BaseAddress, ["retry", id, "--json"]);

        Assert.Equal($"{id} cancelled", cancel.Out.Trim());
        Assert.Equal("queued", JsonNode.Parse(retry.Out)!["state"]!.GetValue<string>());
        Assert.Equal("oops", (await Client.HistoryAsync(id, Ct)).Single(e => e.Event == "cancelled").Reason);
    }

    [Fact]
    public async Task Retry_QueuedTask_PrintsIllegalTransition()
    {
        var id = (await Client.SubmitAsync(new SubmitTaskRequest { Type = "job" }, cancellationToken: Ct)).Task.Id;

        var run = await CliRun.RunAsync(Server.BaseAddress, ["retry", id]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("switchyard: illegal_transition: ", run.Error, StringComparison.Ordinal);
    }

    private async Task<(string Id, string Token)> SubmitAndClaimAsync()
    {
        var id = (await Client.SubmitAsync(new SubmitTaskRequest { Type = "job", MaxAttempts = 3 }, cancellationToken: Ct)).Task.Id;
        var task = Assert.Single(await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w" }, Ct));
        return (id, task.Lease!.Token.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
