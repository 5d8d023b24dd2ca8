using CsCheck;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>Properties 1, 2, 7 and 9 of the spec: results reach their callers, timeouts, disconnects, async.</summary>
public sealed class ResultPropertyTests
{
    private static readonly int[] Workers = [0, 1, 2];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("property", "1")]
    public async Task Property1_ConcurrentCallers_EachGetsTheResultOfItsOwnTask()
    {
        await using var server = await DialectServer.StartAsync();
        var workers = new List<DialectWorker>();
        foreach (var i in Workers)
        {
            workers.Add(await server.ConnectAsync($"p1-{i}"));
        }

        var cases = Gen.Select(Gen.Int[1, 3], Gen.Int.Array[3], Gen.Bool.Array[3], Gen.Shuffle(Workers));
        await cases.CheckAsync(async c =>
        {
            var (count, data, fails, order) = c;
            var calls = Enumerable.Range(0, count)
                .Select(j => server.PostAsync($$"""{"data":{{data[j]}},"group":"p1-{{j}}"}"""))
                .ToArray();
            var ids = new string[count];
            for (var j = 0; j < count; j++)
            {
                var (taskId, payload) = await workers[j].ReceiveTaskAsync();
                Assert.Equal(data[j], payload.GetProperty("data").GetInt32());
                ids[j] = taskId;
            }

            foreach (var j in order.Where(j => j < count))
            {
                await (fails[j]
                    ? workers[j].FailAsync(ids[j], $"error {data[j]}")
                    : workers[j].CompleteAsync(ids[j], $$"""{"echo":{{data[j]}}}"""));
            }

            var answers = await Task.WhenAll(calls).WaitAsync(PropertyKit.Bound, Ct);
            for (var j = 0; j < count; j++)
            {
                Assert.Equal(
                    fails[j]
                        ? (500, $$"""{"error":"error {{data[j]}}"}""")
                        : (200, $$$"""{"taskId":"{{{ids[j]}}}","status":"completed","result":{"echo":{{{data[j]}}}}}"""),
                    (answers[j].Status, answers[j].Text));
            }
        });

        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }
    }

    [Fact]
    [Trait("property", "2")]
    public async Task Property2_DeadlinePasses_CallerRejectedWithTaskTimeoutAndNothingLeftWaiting()
    {
        var policy = new TimeoutPolicy(5_000, 1_000, 20_000);
        await using var server = await DialectServer.StartWithClockAsync(new Dictionary<string, string?>
        {
            ["TASK_TIMEOUT_MS"] = "5000",
            ["MIN_TASK_TIMEOUT_MS"] = "1000",
            ["MAX_TASK_TIMEOUT_MS"] = "20000",
        });
        await using var parked = await PropertyKit.ParkAsync(server);
        await using var runner = await server.ConnectAsync("p2-run");

        var timeouts = Gen.Frequency((1, Gen.Const((long?)null)), (5, Gen.Long[-100, 30_000].Select(t => (long?)t)));
        await Gen.Select(Gen.Bool, timeouts).CheckAsync(async c =>
        {
            var (running, timeout) = c;
            var body = $$"""{"data":1,"group":"{{(running ? "p2-run" : "p2-wait")}}"{{(timeout is { } t ? $",\"timeout\":{t}" : "")}}}""";
            Task<DialectAnswer> answering = null!;
            TaskRecord task;
            if (running)
            {
                answering = server.PostAsync(body);
                var (taskId, _) = await runner.ReceiveTaskAsync();
                task = (await server.Broker.GetAsync(taskId, Ct))!;
            }
            else
            {
                task = await PropertyKit.NextQueuedAsync(server, "p2-wait", () =>
                {
                    answering = server.PostAsync(body);
                    return Task.CompletedTask;
                });
            }

            var expected = policy.Normalize(timeout)!.Value;
            Assert.Equal(expected, task.TimeoutMs);
            Assert.Equal(task.CreatedAt.AddMilliseconds(expected), task.DeadlineAt);

            server.AdvanceTo(task.DeadlineAt!.Value.AddMilliseconds(-1));
            Assert.Equal(running ? "executing" : "queued", (await server.GetStatusAsync(task.Id)).State);

            server.AdvanceTo(task.DeadlineAt.Value.AddMilliseconds(10)); // the enforcer's next sweep
            var answer = await answering.WaitAsync(PropertyKit.Bound, Ct);
            Assert.Equal((500, """{"error":"Task timeout"}"""), (answer.Status, answer.Text));
            var status = await server.GetStatusAsync(task.Id);
            Assert.Equal(("failed", "Task timeout"), (status.State, status.Error));
            Assert.Equal(0, server.Broker.Waiters.Count);

            if (running)
            {
                await runner.CompleteAsync(task.Id, """{"late":true}""");
                await runner.AssertNothingPushedAsync();
                Assert.Equal("Task timeout", (await server.GetStatusAsync(task.Id)).Error);
            }
        });
    }

    [Fact]
    [Trait("property", "7")]
    public async Task Property7_WorkerDisconnects_RemovedAndItsTaskRejectedAsWorkerDisconnected()
    {
        await using var server = await DialectServer.StartAsync();
        await using var parked = await PropertyKit.ParkAsync(server);
        var seq = 0;

        await Gen.Select(Gen.Bool, Gen.Bool).CheckAsync(async c =>
        {
            var (abort, sync) = c;
            var group = $"p7-{Interlocked.Increment(ref seq)}";
            var worker = await server.ConnectAsync(group);
            var answering = server.PostAsync($$"""{"data":1,"group":"{{group}}","async":{{(sync ? "false" : "true")}}}""");
            var (taskId, _) = await worker.ReceiveTaskAsync();

            if (abort)
            {
                worker.Abort();
            }

            await worker.DisposeAsync();

            var failed = await server.Broker.WaitAsync(taskId, PropertyKit.Bound, Ct);
            Assert.Equal((TaskState.Failed, "Worker disconnected"), (failed!.State, failed.Error!.Message));
            var answer = await answering.WaitAsync(PropertyKit.Bound, Ct);
            Assert.Equal(
                sync ? (500, """{"error":"Worker disconnected"}""") : (200, $$"""{"taskId":"{{taskId}}","status":"executing"}"""),
                (answer.Status, answer.Text));
            Assert.DoesNotContain(await server.WorkersAsync(), w => w.Id == worker.WorkerId);
            Assert.Equal("Worker disconnected", (await server.GetStatusAsync(taskId)).Error);
        });
    }

    [Fact]
    [Trait("property", "9")]
    public async Task Property9_Async_AnsweredAtOnceWhateverTheWorkersDo()
    {
        await using var server = await DialectServer.StartAsync(new Dictionary<string, string?> { ["TASK_TIMEOUT_MS"] = "600000" });
        await using var parked = await PropertyKit.ParkAsync(server);
        var seq = 0;

        await Gen.Select(Gen.Int[0, 2], Gen.Bool).CheckAsync(async c =>
        {
            var (workerState, withTimeout) = c; // 0: no matching worker, 1: a matching idle worker, 2: a matching busy worker
            var group = $"p9-{Interlocked.Increment(ref seq)}";
            var worker = workerState == 0 ? null : await server.ConnectAsync(group);
            if (workerState == 2)
            {
                await server.PostAsync($$"""{"data":0,"group":"{{group}}","async":true}""");
                await worker!.ReceiveTaskAsync();
            }

            var answer = await server.PostAsync($$"""{"data":1,"group":"{{group}}","async":true{{(withTimeout ? ",\"timeout\":600000" : "")}}}""")
                .WaitAsync(TimeSpan.FromSeconds(5), Ct);

            var expected = workerState == 1 ? "executing" : "queued";
            Assert.Equal($$"""{"taskId":"{{answer.TaskId}}","status":"{{expected}}"}""", answer.Text);
            Assert.Equal(expected, (await server.GetStatusAsync(answer.TaskId!)).State);
            if (worker is not null)
            {
                await PropertyKit.RetireAsync(server, worker);
            }

            await PropertyKit.EmptyQueueAsync(server);
        });
    }
}
