using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

public sealed class SubmitTests : ServerTest
{
    [Fact]
    public async Task SubmitAsync_NewTask_ReturnsCreatedQueuedTask()
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest
        {
            Type = "echo",
            Queue = "q1",
            Priority = 5,
            Payload = JsonText.Parse("""{"a":1}"""),
            Labels = new() { ["team"] = "core" },
        }, cancellationToken: Ct);

        Assert.True(submitted.Created);
        Assert.False(submitted.Replayed);
        Assert.Equal("queued", submitted.Task.State);
        Assert.Equal("q1", submitted.Task.Queue);
        Assert.Equal(5, submitted.Task.Priority);
        Assert.Equal("""{"a":1}""", submitted.Task.Payload.Raw);
        Assert.Equal("core", submitted.Task.Labels["team"]);
    }

    [Fact]
    public async Task SubmitAsync_SameIdempotencyKey_ReplaysFirstTask()
    {
        var request = new SubmitTaskRequest { Type = "echo", IdempotencyKey = "k-1" };

        var first = await Client.SubmitAsync(request, cancellationToken: Ct);
        var second = await Client.SubmitAsync(request, cancellationToken: Ct);

        Assert.True(first.Created);
        Assert.True(second.Replayed);
        Assert.Equal(first.Task.Id, second.Task.Id);
    }

    [Fact]
    public async Task SubmitAsync_WaitShorterThanWork_ReturnsUnsettledTask()
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "slow" }, SubmitWait.For(TimeSpan.FromMilliseconds(50)), Ct);

        Assert.Equal("queued", submitted.Task.State);
    }

    [Fact]
    public async Task SubmitAsync_WaitUntilSettled_ReturnsResultOnceWorkerCompletes()
    {
        var waiting = Client.SubmitAsync(new SubmitTaskRequest { Type = "echo", Payload = JsonText.Parse("[1]") }, SubmitWait.UntilSettled, Ct);
        var claimed = await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w1", WaitMs = 10_000 }, Ct);
        var task = Assert.Single(claimed);
        await Client.CompleteAsync(task.Id, task.Lease!.Token, JsonText.Parse("""{"ok":true}"""), Ct);

        var settled = await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("completed", settled.Task.State);
        Assert.Equal("""{"ok":true}""", settled.Task.Result?.Raw);
    }

    [Fact]
    public async Task SubmitAsync_MissingType_ThrowsValidationFailedWithFieldError()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.SubmitAsync(new SubmitTaskRequest(), cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("validation_failed", ex.Code);
        Assert.Contains("type", ex.Errors.Keys);
        Assert.Contains("type", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_DuplicateId_ThrowsDuplicateId()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Id = "fixed-id", Type = "echo" }, cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(
            () => Client.SubmitAsync(new SubmitTaskRequest { Id = "fixed-id", Type = "echo" }, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Equal("duplicate_id", ex.Code);
    }

    [Fact]
    public async Task SubmitBatchAsync_NewAndReplayedTasks_ReportsEachInOrder()
    {
        var existing = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo", IdempotencyKey = "k-batch" }, cancellationToken: Ct);

        var batch = await Client.SubmitBatchAsync(
        [
            new SubmitTaskRequest { Type = "a" },
            new SubmitTaskRequest { Type = "b", IdempotencyKey = "k-batch" },
        ], Ct);

        Assert.Equal(2, batch.Count);
        Assert.True(batch[0].Created);
        Assert.False(batch[1].Created);
        Assert.Equal(existing.Task.Id, batch[1].Id);
    }

    [Fact]
    public async Task SubmitBatchAsync_Empty_ThrowsValidationFailed()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.SubmitBatchAsync([], Ct));

        Assert.Equal("validation_failed", ex.Code);
    }
}
