using Switchyard.Client;
using Switchyard.Client.Contracts;

namespace Switchyard.Tests;

public sealed class EventTests : ServerTest
{
    [Fact]
    public async Task WatchEventsAsync_SubmitAfterOpen_YieldsOpenThenTheTasksEvents()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        await using var frames = Client.WatchEventsAsync(new EventStreamFilter { Types = ["task-queued", "task.cancelled"] }, cancellationToken: stop.Token)
            .GetAsyncEnumerator(stop.Token);

        Assert.True(await frames.MoveNextAsync());
        Assert.Equal("stream.open", frames.Current.Type);
        var submitted = await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);
        await Client.CancelAsync(submitted.Task.Id, "changed my mind", Ct);

        Assert.True(await frames.MoveNextAsync());
        var queued = frames.Current;
        Assert.True(await frames.MoveNextAsync());
        var cancelled = frames.Current;

        Assert.Equal(("task.queued", submitted.Task.Id), (queued.Type, queued.TaskId));
        Assert.Equal(("task.cancelled", "changed my mind"), (cancelled.Type, cancelled.Data?.Reason));
        Assert.Equal(queued.Seq + 1, cancelled.Seq);
    }

    public static TheoryData<EventStreamFilter> BadFilters => new()
    {
        new EventStreamFilter { Queue = "no spaces" },
        new EventStreamFilter { TaskId = "" }, // an unset variable in a script: refused, never "every event"
        new EventStreamFilter { Types = [""] },
    };

    [Theory]
    [MemberData(nameof(BadFilters))]
    public async Task WatchEventsAsync_BadFilter_ThrowsWithProblemCode(EventStreamFilter filter)
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(async () =>
        {
            await foreach (var frame in Client.WatchEventsAsync(filter, cancellationToken: Ct))
            {
                Assert.Fail($"unexpected {frame.Type}");
            }
        });

        Assert.Equal("validation_failed", ex.Code);
    }

    [Fact]
    public async Task GetEventStatsAsync_AfterSubmit_CountsQueued()
    {
        await Client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);

        var stats = await Client.GetEventStatsAsync(Ct);

        Assert.Equal(1, stats.Published["task.queued"]);
        Assert.Equal(stats.FirstSeq, stats.LastSeq);
    }
}
