using CsCheck;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>Properties 3 to 6 of the spec: the queue limit, dispatch from the queue, the choice of worker.</summary>
public sealed class QueuePropertyTests
{
    private const int Limit = 5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("property", "3")]
    public async Task Property3_QueueAtItsLimit_SubmitRefusedWith503AndNothingStored()
    {
        await using var server = await DialectServer.StartAsync(new Dictionary<string, string?> { ["MAX_QUEUE_LENGTH"] = $"{Limit}" });
        await using var parked = await PropertyKit.ParkAsync(server);

        // Each step: 0-2 submit (sync or async), 3 take one task out of the queue.
        var steps = Gen.Select(Gen.Int[0, 3], Gen.Bool).Array[1, 14];
        await steps.CheckAsync(async c =>
        {
            var queued = new List<string>();
            foreach (var (kind, sync) in c)
            {
                if (kind == 3)
                {
                    if (queued.Count > 0)
                    {
                        await server.Broker.CancelAsync(queued[0], null, "test", Ct);
                        queued.RemoveAt(0);
                    }

                    continue;
                }

                var full = queued.Count >= Limit;
                var answer = await server.PostAsync($$"""{"data":1,"group":"p3","async":{{(full && sync ? "false" : "true")}}}""");
                if (full)
                {
                    Assert.Equal((503, """{"error":"Queue is full"}"""), (answer.Status, answer.Text));
                }
                else
                {
                    Assert.Equal((200, "queued"), (answer.Status, answer.State));
                    queued.Add(answer.TaskId!);
                }

                Assert.Equal(queued.Count, await PropertyKit.QueuedAsync(server));
            }

            await PropertyKit.EmptyQueueAsync(server);
        }, print: c => string.Join(" ", c.Select(s => s.Item1 == 3 ? "take" : s.Item2 ? "sync" : "async")));
    }

    [Fact]
    [Trait("property", "4")]
    public async Task Property4_EveryDispatch_QueueShrinksByExactlyOne()
    {
        await using var server = await DialectServer.StartAsync();
        await using var parked = await PropertyKit.ParkAsync(server);
        var seq = 0;

        await Gen.Bool.Array[1, 6].CheckAsync(async fails =>
        {
            var group = $"p4-{Interlocked.Increment(ref seq)}";
            var ids = new List<string>();
            DialectWorker? worker = null;
            try
            {
                foreach (var _ in fails)
                {
                    ids.Add((await server.PostAsync($$"""{"data":1,"group":"{{group}}","async":true}""")).TaskId!);
                }

                Assert.Equal(fails.Length, await PropertyKit.QueuedAsync(server));
                worker = await server.ConnectAsync(group);
                for (var i = 0; i < fails.Length; i++)
                {
                    var (taskId, _) = await worker.ReceiveTaskAsync();
                    Assert.Equal(ids[i], taskId);
                    Assert.Equal(fails.Length - i - 1, await PropertyKit.QueuedAsync(server));
                    if (i + 1 < fails.Length)
                    {
                        Assert.Equal(1, (await server.GetStatusAsync(ids[i + 1])).Body.GetProperty("position").GetInt64());
                    }

                    await (fails[i] ? worker.FailAsync(taskId, "no") : worker.CompleteAsync(taskId, "1"));
                }
            }
            finally
            {
                // A failing case leaves nothing behind, so the cases CsCheck shrinks it to fail for their own reason.
                if (worker is not null)
                {
                    await PropertyKit.RetireAsync(server, worker);
                }

                await PropertyKit.EmptyQueueAsync(server);
            }
        });
    }

    [Fact]
    [Trait("property", "5")]
    public async Task Property5_QueuedTaskAndAnIdleWorkerThatTakesIt_Dispatched()
    {
        await using var server = await DialectServer.StartAsync();
        await using var parked = await PropertyKit.ParkAsync(server);
        var seq = 0;

        // Queued tasks' groups and the worker's group: 0 = "default", 1 and 2 = groups of their own.
        var cases = Gen.Select(Gen.Int[0, 2].Array[0, 5], Gen.Int[0, 2], Gen.Bool);
        await cases.CheckAsync(async c =>
        {
            var (taskGroups, workerGroup, idleByFinishing) = c;
            var n = Interlocked.Increment(ref seq);
            string Group(int g) => g == 0 ? "default" : $"p5-{n}-{g}";

            DialectWorker? worker = null;
            string? blocker = null;
            if (idleByFinishing)
            {
                worker = await server.ConnectAsync(Group(workerGroup));
                blocker = (await server.PostAsync($$"""{"data":"blocker","group":"{{Group(workerGroup)}}","async":true}""")).TaskId;
                Assert.Equal(blocker, (await worker.ReceiveTaskAsync()).TaskId);
            }

            var ids = new List<string>();
            foreach (var g in taskGroups)
            {
                var answer = await server.PostAsync($$"""{"data":1,"group":"{{Group(g)}}","async":true}""");
                Assert.Equal("queued", answer.State);
                ids.Add(answer.TaskId!);
            }

            if (worker is null)
            {
                worker = await server.ConnectAsync(Group(workerGroup));
            }
            else
            {
                await worker.CompleteAsync(blocker!, "1");
            }

            var eligible = ids.Where((_, i) => taskGroups[i] == 0 || taskGroups[i] == workerGroup).ToList();
            if (eligible.Count > 0)
            {
                Assert.Equal(eligible[0], (await worker.ReceiveTaskAsync()).TaskId);
                Assert.Equal("executing", (await server.GetStatusAsync(eligible[0])).State);
            }

            await worker.AssertNothingPushedAsync();
            await PropertyKit.RetireAsync(server, worker);
            await PropertyKit.EmptyQueueAsync(server);
        });
    }

    [Fact]
    [Trait("property", "6")]
    public async Task Property6_IdleWorkers_ExactlyOneChosenMarkedBusyAndHoldingTheTask()
    {
        await using var server = await DialectServer.StartAsync();
        await using var parked = await PropertyKit.ParkAsync(server);
        var seq = 0;

        await Gen.Int[1, 4].CheckAsync(async count =>
        {
            var group = $"p6-{Interlocked.Increment(ref seq)}";
            var workers = new List<DialectWorker>();
            for (var i = 0; i < count; i++)
            {
                workers.Add(await server.ConnectAsync(group));
            }

            var answer = await server.PostAsync($$"""{"data":1,"group":"{{group}}","async":true}""");
            Assert.Equal("executing", answer.State);

            var status = await server.GetStatusAsync(answer.TaskId!);
            var chosen = Assert.Single(workers, w => w.WorkerId == status.Body.GetProperty("workerId").GetString());
            Assert.Equal(answer.TaskId, (await chosen.ReceiveTaskAsync()).TaskId);
            var held = await PropertyKit.WorkerAsync(server, chosen.WorkerId);
            Assert.Equal((0, answer.TaskId), (held.Credits, Assert.Single(held.Tasks!)));
            foreach (var other in workers.Where(w => w != chosen))
            {
                await other.AssertNothingPushedAsync();
                Assert.Empty((await PropertyKit.WorkerAsync(server, other.WorkerId)).Tasks!);
            }

            await chosen.CompleteAsync(answer.TaskId!, "1");
            foreach (var worker in workers)
            {
                await PropertyKit.RetireAsync(server, worker);
            }
        });
    }
}
