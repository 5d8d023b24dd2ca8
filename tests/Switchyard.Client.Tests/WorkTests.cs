using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

public sealed class WorkTests : ServerTest
{
    [Fact]
    public async Task ClaimAsync_NoWork_ReturnsEmptyAfterWait()
    {
        var claimed = await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w1", WaitMs = 50 }, Ct);

        Assert.Empty(claimed);
    }

    [Fact]
    public async Task ClaimAsync_MissingWorkerId_ThrowsValidationFailed()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.ClaimAsync(new ClaimTasksRequest(), Ct));

        Assert.Equal("validation_failed", ex.Code);
        Assert.Contains("workerId", ex.Errors.Keys);
    }

    [Fact]
    public async Task ClaimAsync_FiltersByQueueAndType_LeasesOnlyMatchingTasks()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "q1" }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "b", Queue = "q1" }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "b", Queue = "q2" }, cancellationToken: Ct);

        var claimed = await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w1", Queues = ["q1"], Types = ["b"], MaxTasks = 5 }, Ct);

        var task = Assert.Single(claimed);
        Assert.Equal(("b", "q1", "running"), (task.Type, task.Queue, task.State));
        Assert.Equal("w1", task.Lease?.WorkerId);
    }

    [Fact]
    public async Task HeartbeatAndComplete_WithLeaseToken_CompleteTheTask()
    {
        var id = await SubmitAndClaimAsync();
        var token = (await Client.GetAsync(id, cancellationToken: Ct)).Lease!.Token;

        var lease = await Client.HeartbeatAsync(id, token, new ProgressDto(50, "halfway"), 5_000, Ct);
        var running = await Client.GetAsync(id, cancellationToken: Ct);
        var done = await Client.CompleteAsync(id, token, JsonText.Parse("""{"answer":42}"""), Ct);

        Assert.Equal(token, lease.Token);
        Assert.Equal(50, running.Progress?.Percent);
        Assert.Equal("halfway", running.Progress?.Message);
        Assert.Equal("completed", done.State);
        Assert.Equal("""{"answer":42}""", done.Result?.Raw);
    }

    [Fact]
    public async Task CompleteAsync_StaleToken_ThrowsStaleLease()
    {
        var id = await SubmitAndClaimAsync();

        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.CompleteAsync(id, 999, null, Ct));

        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Equal("stale_lease", ex.Code);
        Assert.Equal("running", (await Client.GetAsync(id, cancellationToken: Ct)).State);
    }

    [Fact]
    public async Task HeartbeatAsync_CancelledTask_ThrowsTaskCancelled()
    {
        var id = await SubmitAndClaimAsync();
        var token = (await Client.GetAsync(id, cancellationToken: Ct)).Lease!.Token;
        await Client.CancelAsync(id, "stop", Ct);

        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.HeartbeatAsync(id, token, cancellationToken: Ct));

        Assert.Equal("task_cancelled", ex.Code);
    }

    [Fact]
    public async Task FailAsync_RetryableWithAttemptsLeft_QueuesTaskAgainWithError()
    {
        var id = await SubmitAndClaimAsync(maxAttempts: 3);
        var token = (await Client.GetAsync(id, cancellationToken: Ct)).Lease!.Token;

        var failed = await Client.FailAsync(id, token, new TaskErrorDto("boom", "it broke"), 0, Ct);

        Assert.True(failed.State is "queued" or "scheduled", failed.State);
        Assert.Equal("it broke", failed.Error?.Message);
        Assert.Equal("retryable", failed.Error?.Kind);
    }

    [Fact]
    public async Task FailAsync_Fatal_FailsTask()
    {
        var id = await SubmitAndClaimAsync(maxAttempts: 3);
        var token = (await Client.GetAsync(id, cancellationToken: Ct)).Lease!.Token;

        var failed = await Client.FailAsync(id, token, new TaskErrorDto("bad_input", "cannot do this", "fatal"), cancellationToken: Ct);

        Assert.Equal("failed", failed.State);
        Assert.Equal("fatal", failed.Error?.Kind);
    }

    [Fact]
    public async Task FailAsync_UnknownKind_ThrowsValidationFailed()
    {
        var id = await SubmitAndClaimAsync();
        var token = (await Client.GetAsync(id, cancellationToken: Ct)).Lease!.Token;

        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(
            () => Client.FailAsync(id, token, new TaskErrorDto(null, "x", "sometimes"), cancellationToken: Ct));

        Assert.Equal("validation_failed", ex.Code);
        Assert.Contains("error.kind", ex.Errors.Keys);
    }

    [Fact]
    public async Task CancelAsync_QueuedTask_CancelsIt()
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);

        var cancelled = await Client.CancelAsync(submitted.Task.Id, "changed my mind", Ct);

        Assert.Equal("cancelled", cancelled.State);
        Assert.Equal("changed my mind", (await Client.HistoryAsync(submitted.Task.Id, Ct))[^1].Reason);
    }

    [Fact]
    public async Task RetryAsync_CancelledTask_QueuesItAgain()
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);
        await Client.CancelAsync(submitted.Task.Id, cancellationToken: Ct);

        var retried = await Client.RetryAsync(submitted.Task.Id, "try again", Ct);

        Assert.Equal("queued", retried.State);
    }

    [Fact]
    public async Task RetryAsync_QueuedTask_ThrowsIllegalTransition()
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.RetryAsync(submitted.Task.Id, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Equal("illegal_transition", ex.Code);
    }

    [Fact]
    public async Task CancelAsync_UnknownTask_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.CancelAsync("missing", cancellationToken: Ct));

        Assert.Equal("not_found", ex.Code);
    }

    private async Task<string> SubmitAndClaimAsync(int? maxAttempts = null)
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "job", MaxAttempts = maxAttempts }, cancellationToken: Ct);
        var claimed = await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w1" }, Ct);
        Assert.Equal(submitted.Task.Id, Assert.Single(claimed).Id);
        return submitted.Task.Id;
    }
}
