using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Tests;

public sealed class TaskLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_ClaimedAndCompleted_GetShowsCompletedWithResult()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { type = "echo", payload = new { hello = "world" } }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var submitted = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal($"/api/v1/tasks/{submitted.Id}", response.Headers.Location?.ToString());
        Assert.Equal("queued", submitted.State);

        var claimed = await server.ClaimOneAsync();
        Assert.Equal(submitted.Id, claimed.Id);
        Assert.Equal("running", claimed.State);
        Assert.Equal(1, claimed.Attempt);
        Assert.NotNull(claimed.Lease);

        using var complete = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{claimed.Id}/complete",
            new { leaseToken = claimed.Lease.Token, result = new { hello = "world" } }, Ct);
        complete.EnsureSuccessStatusCode();

        var done = await server.GetAsync(submitted.Id);
        Assert.Equal("completed", done.State);
        Assert.Equal("""{"hello":"world"}""", done.Result?.Raw);
        Assert.NotNull(done.ResultExpiresAt);
        Assert.Null(done.Lease); // the lease ended with the attempt
    }

    [Fact]
    public async Task Submit_WaitSecondsAndCompletedInTime_Returns200WithResult()
    {
        await using var server = await TestServer.StartAsync();
        var waiting = server.Http.PostAsJsonAsync("/api/v1/tasks?wait=30", new { type = "echo", payload = 41 }, Ct);
        var claimed = await server.ClaimOneAsync(waitMs: 10_000);
        using (var complete = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{claimed.Id}/complete",
                   new { leaseToken = claimed.Lease!.Token, result = 42 }, Ct))
        {
            complete.EnsureSuccessStatusCode();
        }

        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal("completed", task.State);
        Assert.Equal("42", task.Result?.Raw);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Submit_WaitTrueAndDeadlinePasses_Returns200WithTheTimedOutTask(bool claimed)
    {
        await using var server = await TestServer.StartAsync();
        // No worker ever reports: queued, or held by a pull worker that goes silent. The wait ends with the deadline (1 s, the least).
        var waiting = server.Http.PostAsJsonAsync("/api/v1/tasks?wait=true", new { type = "echo", timeoutMs = 1_000 }, Ct);
        if (claimed)
        {
            await server.ClaimAsync(new ClaimTasksRequest { WorkerId = "silent", LeaseMs = 60_000, WaitMs = 10_000 });
        }

        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal(("failed", "timeout"), (task.State, task.Error?.Code));
    }

    [Fact]
    public async Task Submit_WaitZero_Returns202WithLocation()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks?wait=0", new { type = "echo" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
    }

    [Fact]
    public async Task Get_WithWait_ReturnsOnceTheTaskSettles()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        var polling = server.Http.GetFromJsonAsync($"/api/v1/tasks/{task.Id}?wait=30", ContractsJsonContext.Default.TaskDto, Ct);
        var claimed = await server.ClaimOneAsync();
        using (var fail = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{claimed.Id}/fail",
                   new { leaseToken = claimed.Lease!.Token, error = new { message = "no", kind = "fatal", code = "nope" } }, Ct))
        {
            fail.EnsureSuccessStatusCode();
        }

        var settled = (await polling.WaitAsync(TimeSpan.FromSeconds(30), Ct))!;
        Assert.Equal("failed", settled.State);
        Assert.Equal("nope", settled.Error?.Code);
        Assert.Equal("fatal", settled.Error?.Kind);
    }

    [Fact]
    public async Task Heartbeat_WithToken_ExtendsLeaseAndRecordsProgress()
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { type = "echo" });
        var claimed = await server.ClaimAsync(new ClaimTasksRequest { WorkerId = "w1", LeaseMs = 5_000 });
        var task = Assert.Single(claimed.Tasks);
        using var response = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/heartbeat",
            new { leaseToken = task.Lease!.Token, leaseMs = 60_000, progress = new { percent = 50, message = "half" } }, Ct);
        response.EnsureSuccessStatusCode();
        var lease = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.HeartbeatResponse, Ct))!.Lease;
        Assert.True(lease.ExpiresAt > task.Lease.ExpiresAt.AddSeconds(30));
        var after = await server.GetAsync(task.Id);
        Assert.Equal(50, after.Progress?.Percent);
        Assert.Equal("half", after.Progress?.Message);
    }

    [Fact]
    public async Task Fail_RetryableWithAttemptsLeft_RequeuedThenFailedWhenSpent()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo", maxAttempts = 2, retry = new { backoff = "fixed", baseDelayMs = 0, maxDelayMs = 0 } });
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var claimed = await server.ClaimOneAsync();
            Assert.Equal(attempt, claimed.Attempt);
            using var fail = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/fail",
                new { leaseToken = claimed.Lease!.Token, error = new { message = "flaky" } }, Ct);
            var after = (await fail.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
            Assert.Equal(attempt == 1 ? "queued" : "failed", after.State);
            Assert.Equal("retryable", after.Error?.Kind);
            Assert.Null(after.Lease);
        }
    }

    [Fact]
    public async Task Claim_CallerGoneBeforeTheAnswer_TaskHandedBackAtOnce()
    {
        await using var server = await TestServer.StartAsync();
        var broker = server.Services.GetRequiredService<TaskBroker>();
        var task = await server.SubmitAsync(new { type = "echo" });

        // The caller goes away exactly as the claim commits: the answer can no longer reach it.
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        void GoAway(AppliedTransition move) => caller.Cancel();
        broker.Moved += GoAway;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => broker.ClaimAsync(
            new ClaimSpec { WorkerId = "gone", LeaseMs = 600_000 }, caller.Token));
        broker.Moved -= GoAway;

        // Back in its queue now, not when the ten-minute lease runs out.
        var again = await server.ClaimOneAsync("w2");
        Assert.Equal(task.Id, again.Id);
        Assert.Equal(2, again.Attempt);
        var history = (await server.Http.GetFromJsonAsync($"/api/v1/tasks/{task.Id}/history", ContractsJsonContext.Default.TaskHistoryResponse, Ct))!;
        Assert.Contains(history.Entries, e => e.Actor == "gone" && e.Reason == TaskBroker.ClaimUnanswered.Message);
    }

    [Fact]
    public async Task Cancel_RunningTask_WorkerHeartbeatIsToldToStop()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        var claimed = await server.ClaimOneAsync();
        using (var cancel = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/cancel", new { reason = "changed my mind" }, Ct))
        {
            Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!.State);
        }

        using var heartbeat = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/heartbeat", new { leaseToken = claimed.Lease!.Token }, Ct);
        await ProblemAssert.IsProblem(heartbeat, HttpStatusCode.Conflict, "task_cancelled");
        using var complete = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new { leaseToken = claimed.Lease.Token, result = 1 }, Ct);
        await ProblemAssert.IsProblem(complete, HttpStatusCode.Conflict, "task_cancelled");
        Assert.Equal("cancelled", (await server.GetAsync(task.Id)).State);
    }

    [Fact]
    public async Task Retry_CancelledTask_QueuedAgainWithFreshAttempts()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        (await server.Http.PostAsync($"/api/v1/tasks/{task.Id}/cancel", null, Ct)).Dispose();
        using var retry = await server.Http.PostAsync($"/api/v1/tasks/{task.Id}/retry", null, Ct);
        var after = (await retry.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!;
        Assert.Equal("queued", after.State);
        Assert.Equal(0, after.Attempt);
        Assert.Equal(task.Id, (await server.ClaimOneAsync()).Id);
    }

    [Fact]
    public async Task History_AfterClaimAndComplete_ListsEveryMoveWithActor()
    {
        await using var server = await TestServer.StartAsync();
        var task = await server.SubmitAsync(new { type = "echo" });
        var claimed = await server.ClaimOneAsync("worker-7");
        (await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new { leaseToken = claimed.Lease!.Token }, Ct)).Dispose();
        var history = (await server.Http.GetFromJsonAsync($"/api/v1/tasks/{task.Id}/history", ContractsJsonContext.Default.TaskHistoryResponse, Ct))!;
        Assert.Equal(["submitted", "claimed", "completed"], history.Entries.Select(e => e.Event));
        Assert.Equal([null, "queued", "running"], history.Entries.Select(e => e.From));
        Assert.Equal("worker-7", history.Entries[1].Actor);
        Assert.Equal("api", history.Entries[0].Actor);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKey_ReplaysTheFirstTask()
    {
        await using var server = await TestServer.StartAsync();
        var first = await server.SubmitAsync(new { type = "echo", idempotencyKey = "order-1" });
        using var again = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { type = "echo", idempotencyKey = "order-1" }, Ct);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Id, (await again.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct))!.Id);
    }

    [Fact]
    public async Task List_WithFiltersAndCursor_ReturnsEachMatchingTaskOnce()
    {
        await using var server = await TestServer.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await server.SubmitAsync(new { type = "echo", queue = "q1", labels = new Dictionary<string, string> { ["n"] = (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture) } })).Id);
        }

        await server.SubmitAsync(new { type = "other", queue = "q2" });
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await server.Http.GetFromJsonAsync($"/api/v1/tasks?queue=q1&state=queued&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}",
                ContractsJsonContext.Default.TaskListResponse, Ct))!;
            Assert.True(page.Tasks.Count <= 3);
            seen.AddRange(page.Tasks.Select(t => t.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(ids.AsEnumerable().Reverse(), seen);
        var labelled = (await server.Http.GetFromJsonAsync("/api/v1/tasks?label=n:1", ContractsJsonContext.Default.TaskListResponse, Ct))!;
        Assert.Equal(3, labelled.Tasks.Count);
    }

    [Fact]
    public async Task Batch_Submitted_AllStoredInOrder()
    {
        await using var server = await TestServer.StartAsync();
        var tasks = Enumerable.Range(0, 50).Select(i => new { type = "echo", payload = i }).ToArray();
        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch", new { tasks }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.SubmitBatchResponse, Ct))!;
        Assert.Equal(50, batch.Tasks.Count);
        Assert.All(batch.Tasks, t => Assert.True(t.Created));
        var claimed = await server.ClaimAsync(new ClaimTasksRequest { WorkerId = "w", MaxTasks = 50 });
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), claimed.Tasks.Select(t => t.Payload.Raw));
    }

    [Fact]
    public async Task Queues_AfterMoves_CountTasksPerState()
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { type = "echo", queue = "stats" });
        await server.SubmitAsync(new { type = "echo", queue = "stats" });
        await server.ClaimAsync(new ClaimTasksRequest { WorkerId = "w", Queues = ["stats"] });
        var queue = (await server.Http.GetFromJsonAsync("/api/v1/queues/stats", ContractsJsonContext.Default.QueueDto, Ct))!;
        Assert.Equal(1, queue.Counts["queued"]);
        Assert.Equal(1, queue.Counts["running"]);
        Assert.Equal(1, queue.Waiting);
        using var list = JsonDocument.Parse(await server.Http.GetStringAsync("/api/v1/queues", Ct));
        Assert.Contains(list.RootElement.GetProperty("queues").EnumerateArray(), q => q.GetProperty("name").GetString() == "stats");
    }
}
