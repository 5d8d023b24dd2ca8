using Switchyard.Core.Events;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// A node takes back the batches of the move payloads it sent instead of parsing them (<see cref="OwnPayloads"/>); the
/// other nodes parse them. Both tell the same story.
/// </summary>
public sealed class OwnNoticesTests(SharedPostgres postgres) : TwoNodes(postgres, pollMs: 1_000)
{
    [Fact]
    public async Task MovesOnB_BTakesItsOwnBatchesBack_BothNodesSeeTheSameEvents()
    {
        using var onA = A.Hub.Subscribe();
        using var onB = B.Hub.Subscribe();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SubmitAsync(B));
        }

        foreach (var task in await ClaimAsync(B, 5))
        {
            await CompleteAsync(B, task, $"{{\"n\":\"{task.Id}\"}}");
        }

        var seenOnB = await ReadAsync(onB, 15);
        var seenOnA = await ReadAsync(onA, 15);

        Assert.Equal(0, B.Bus.OwnPending); // every payload B sent came back to B and was taken, not parsed
        foreach (var events in new[] { seenOnA, seenOnB })
        {
            foreach (var id in ids)
            {
                var told = events.Where(e => e.TaskId == id).ToArray();
                Assert.Equal([TaskEventTypes.Queued, TaskEventTypes.Started, TaskEventTypes.Completed], told.Select(e => e.Type));
                Assert.Equal($"{{\"n\":\"{id}\"}}", told[^1].Data.Result?.Raw);
            }
        }

        Assert.Equal(
            seenOnA.Select(e => (e.TaskId, e.Type, e.Data.State, e.Data.Attempt, e.Data.Queue, e.Data.Result?.Raw)),
            seenOnB.Select(e => (e.TaskId, e.Type, e.Data.State, e.Data.Attempt, e.Data.Queue, e.Data.Result?.Raw)));
    }

    [Fact]
    public void OwnPayloads_TakenOnce_ForgottenOrPushedOut()
    {
        var own = new OwnPayloads();
        var batch = new PgNoticeBatch("node");
        own.Add("p0", batch);
        own.Add("p1", batch);

        Assert.Same(batch, own.Take("p0"));
        Assert.Null(own.Take("p0"));
        own.Forget(["p1"]);
        Assert.Null(own.Take("p1"));

        for (var i = 0; i <= OwnPayloads.Capacity; i++)
        {
            own.Add($"q{i}", batch);
        }

        Assert.Equal(OwnPayloads.Capacity, own.Count);
        Assert.Null(own.Take("q0")); // the oldest went when one more than the capacity was sent after it
        Assert.Same(batch, own.Take($"q{OwnPayloads.Capacity}"));
    }
}
