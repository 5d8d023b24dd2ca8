using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

/// <summary>The examples of docs/client.md, run against a real server.</summary>
public sealed class DocsExampleTests : ServerTest
{
    [Fact]
    public async Task SubmitThenPullWorkerThenEvents_AsTheGuideShows()
    {
        var queued = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo", Queue = "etl", Payload = JsonText.Parse("""{"n":1}""") }, cancellationToken: Ct);
        Assert.Equal("queued", queued.Task.State);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var events = new List<EventDto>();
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var e in Client.WatchEventsAsync(new EventStreamFilter { Queue = "etl", Types = ["task.completed", "task.failed"] }, null, stopping.Token))
            {
                opened.TrySetResult(); // the first frame is stream.open: subscribed from here on
                if (!e.IsStreamNotice())
                {
                    events.Add(e);
                    return;
                }
            }
        }, Ct);
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var claimed = await Client.ClaimAsync(new ClaimTasksRequest { WorkerId = "etl-1", Queues = ["etl"], MaxTasks = 4, WaitMs = 20_000 }, Ct);
        foreach (var task in claimed)
        {
            await Client.HeartbeatAsync(task.Id, task.Lease!.Token, new ProgressDto(Percent: 50), cancellationToken: Ct);
            await Client.CompleteAsync(task.Id, task.Lease.Token, JsonText.Parse("""{"rows":120}"""), Ct);
        }

        await watching.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var completed = Assert.Single(events);
        Assert.Equal(("task.completed", queued.Task.Id), (completed.Type, completed.TaskId));
        Assert.Equal("""{"rows":120}""", (await Client.GetAsync(queued.Task.Id, cancellationToken: Ct)).Result?.Raw);
    }

    [Fact]
    public async Task SubmitWithAWait_NoWorker_ComesBackUnsettledWhenTheTimeIsUp()
    {
        var answered = await Client.SubmitAsync(
            new SubmitTaskRequest { Type = "llm.chat", Group = "gpt-4o", Payload = JsonText.Parse("""{"messages":[]}""") },
            SubmitWait.For(TimeSpan.FromMilliseconds(200)), Ct);

        Assert.Equal("queued", answered.Task.State);
    }

    [Fact]
    public async Task BadQueueName_ValidationFailedWithTheField()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.SubmitAsync(new SubmitTaskRequest { Type = "report", Queue = "bad queue!" }, cancellationToken: Ct));

        Assert.Equal("validation_failed", ex.Code);
        Assert.Contains("queue", ex.Errors.Keys);
    }
}
