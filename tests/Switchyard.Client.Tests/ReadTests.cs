using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

public sealed class ReadTests : ServerTest
{
    [Fact]
    public async Task GetAsync_UnknownTask_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.GetAsync("no-such-task", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("not_found", ex.Code);
        Assert.Contains("no-such-task", ex.Detail, StringComparison.Ordinal);
        Assert.Empty(ex.Errors);
    }

    [Fact]
    public async Task GetAsync_Submitted_ReturnsTask()
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo", Payload = JsonText.Parse("7") }, cancellationToken: Ct);

        var task = await Client.GetAsync(submitted.Task.Id, cancellationToken: Ct);

        Assert.Equal(submitted.Task.Id, task.Id);
        Assert.Equal("7", task.Payload.Raw);
    }

    [Fact]
    public async Task GetAsync_WithWait_ReturnsOnceTaskSettles()
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);
        var waiting = Client.GetAsync(submitted.Task.Id, TimeSpan.FromSeconds(60), Ct);

        await Client.CancelAsync(submitted.Task.Id, "no longer needed", Ct);
        var task = await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("cancelled", task.State);
    }

    [Fact]
    public async Task ListAsync_Filters_ReturnOnlyMatchingTasks()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "q1", Labels = new() { ["env"] = "prod" } }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "b", Queue = "q1", Group = "gpt" }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "q2" }, cancellationToken: Ct);
        var cancelled = await Client.SubmitAsync(new SubmitTaskRequest { Type = "c", Queue = "q2" }, cancellationToken: Ct);
        await Client.CancelAsync(cancelled.Task.Id, cancellationToken: Ct);

        Assert.Equal(2, (await Client.ListAsync(new TaskListQuery { Queue = "q1" }, Ct)).Tasks.Count);
        Assert.Equal(2, (await Client.ListAsync(new TaskListQuery { Type = "a" }, Ct)).Tasks.Count);
        Assert.Equal("b", Assert.Single((await Client.ListAsync(new TaskListQuery { Group = "gpt" }, Ct)).Tasks).Type);
        Assert.Equal("q1", Assert.Single((await Client.ListAsync(new TaskListQuery { Labels = new Dictionary<string, string> { ["env"] = "prod" } }, Ct)).Tasks).Queue);
        Assert.Equal("c", Assert.Single((await Client.ListAsync(new TaskListQuery { States = ["cancelled"] }, Ct)).Tasks).Type);
        Assert.Equal(4, (await Client.ListAsync(new TaskListQuery { States = ["queued", "cancelled"] }, Ct)).Tasks.Count);

        var claimed = Assert.Single(await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "script-7", Queues = ["q2"] }, Ct));
        Assert.Equal(claimed.Id, Assert.Single((await Client.ListAsync(new TaskListQuery { Worker = "script-7" }, Ct)).Tasks).Id);
        Assert.Equal(1, await Client.CountAsync(new TaskListQuery { Worker = "script-7" }, cancellationToken: Ct));
        Assert.Empty((await Client.ListAsync(new TaskListQuery { Worker = "script-8" }, Ct)).Tasks);
    }

    [Fact]
    public async Task CountAsync_Filters_CountWhatTheListWouldShowUpToTheLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.SubmitAsync(new SubmitTaskRequest { Type = i < 3 ? "a" : "b", Queue = "counted", Group = i == 0 ? "gpu" : null }, cancellationToken: Ct);
        }

        var cancelled = await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "counted" }, cancellationToken: Ct);
        await Client.CancelAsync(cancelled.Task.Id, cancellationToken: Ct);

        Assert.Equal(6, await Client.CountAsync(new TaskListQuery { Queue = "counted" }, cancellationToken: Ct));
        Assert.Equal(3, await Client.CountAsync(new TaskListQuery { Queue = "counted", Type = "a", States = ["queued", "running"] }, cancellationToken: Ct));
        Assert.Equal(2, await Client.CountAsync(new TaskListQuery { Queue = "counted", Type = "a", Group = "default", States = ["queued"] }, cancellationToken: Ct));
        Assert.Equal(4, await Client.CountAsync(new TaskListQuery { Queue = "counted" }, upTo: 4, cancellationToken: Ct));
        Assert.Equal(0, await Client.CountAsync(new TaskListQuery { Queue = "elsewhere" }, cancellationToken: Ct));
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.CountAsync(upTo: 0, cancellationToken: Ct));
        Assert.Equal(("validation_failed", true), (ex.Code, ex.Errors.ContainsKey("limit")));
    }

    [Fact]
    public async Task ListAsync_BadLimit_ThrowsValidationFailed()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.ListAsync(new TaskListQuery { Limit = 0 }, Ct));

        Assert.Equal("validation_failed", ex.Code);
        Assert.Contains("limit", ex.Errors.Keys);
    }

    [Fact]
    public async Task ListAllAsync_SeveralPages_FollowsCursorToTheEnd()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Client.SubmitAsync(new SubmitTaskRequest { Type = "paged" }, cancellationToken: Ct)).Task.Id);
        }

        var firstPage = await Client.ListAsync(new TaskListQuery { Limit = 2 }, Ct);
        var listed = new List<string>();
        await foreach (var task in Client.ListAllAsync(new TaskListQuery { Limit = 2 }, Ct))
        {
            listed.Add(task.Id);
        }

        Assert.Equal(2, firstPage.Tasks.Count);
        Assert.NotNull(firstPage.NextCursor);
        Assert.Equal(5, listed.Count);
        Assert.Equal(ids, listed.ToHashSet());
    }

    [Fact]
    public async Task HistoryAsync_ClaimedTask_ListsMovesOldestFirst()
    {
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);
        await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "w-history" }, Ct);

        var history = await Client.HistoryAsync(submitted.Task.Id, Ct);

        Assert.Collection(history,
            e => Assert.Equal(("submitted", "queued"), (e.Event, e.To)),
            e => Assert.Equal(("claimed", "running", "w-history"), (e.Event, e.To, e.Actor)));
    }

    [Fact]
    public async Task HistoryAsync_UnknownTask_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.HistoryAsync("missing", Ct));

        Assert.Equal("not_found", ex.Code);
    }

    [Fact]
    public async Task ListQueuesAsync_TasksInTwoQueues_CountsEachByState()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "alpha" }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "alpha" }, cancellationToken: Ct);
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "a", Queue = "beta" }, cancellationToken: Ct);

        var queues = await Client.ListQueuesAsync(Ct);

        var alpha = Assert.Single(queues, q => q.Name == "alpha");
        Assert.Equal(2, alpha.Counts["queued"]);
        Assert.Equal(2, alpha.Waiting);
        Assert.Equal(1, Assert.Single(queues, q => q.Name == "beta").Counts["queued"]);
    }

    [Fact]
    public async Task GetQueueAsync_EmptyQueue_ReturnsZeroCounts()
    {
        var queue = await Client.GetQueueAsync("nothing-here", Ct);

        Assert.Equal("nothing-here", queue.Name);
        Assert.All(queue.Counts.Values, c => Assert.Equal(0, c));
    }

    [Fact]
    public async Task GetQueueAsync_InvalidName_ThrowsValidationFailed()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.GetQueueAsync("bad name!", Ct));

        Assert.Equal("validation_failed", ex.Code);
    }
}
