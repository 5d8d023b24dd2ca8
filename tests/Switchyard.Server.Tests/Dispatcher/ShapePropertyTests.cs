using System.Text.Json;
using CsCheck;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Server.Dialects.Dispatcher;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>Properties 8, 10 and 11 of the spec: timeout normalisation, status fields, result lifetime.</summary>
public sealed class ShapePropertyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("property", "8")]
    public void Property8_AnyBoundsAndRequest_ClampedInclusiveOrDefaultUnclamped()
    {
        var cases = Gen.Select(Gen.Long[0, 1_000_000], Gen.Long[0, 1_000_000], Gen.Long[0, 2_000_000], Gen.Long[-10, 2_000_000].Nullable());
        cases.Sample(c =>
        {
            var (a, b, fallback, requested) = c;
            var (min, max) = (Math.Min(a, b), Math.Max(a, b));

            var normalized = new TimeoutPolicy(fallback, min, max).Normalize(requested);

            Assert.Equal(
                requested switch
                {
                    null => fallback,
                    { } r when r < min => min,
                    { } r when r > max => max,
                    _ => requested,
                },
                normalized);
        }, iter: 1_000);
    }

    [Fact]
    [Trait("property", "8")]
    public async Task Property8_Requests_StoredTimeoutAndDeadlineFollowTheConfiguredBounds()
    {
        var policy = new TimeoutPolicy(7_000, 2_000, 9_000);
        await using var server = await DialectServer.StartAsync(new Dictionary<string, string?>
        {
            ["TASK_TIMEOUT_MS"] = "7000",
            ["MIN_TASK_TIMEOUT_MS"] = "2000",
            ["MAX_TASK_TIMEOUT_MS"] = "9000",
        });
        await using var parked = await PropertyKit.ParkAsync(server);

        await Gen.Select(Gen.Long[-1_000, 20_000].Nullable(), Gen.Bool).CheckAsync(async c =>
        {
            var (requested, fraction) = c;
            var timeout = requested is { } ms ? $",\"timeout\":{ms}{(fraction ? ".75" : "")}" : "";

            var answer = await server.PostAsync($$"""{"data":1,"group":"p8","async":true{{timeout}}}""");

            var task = await server.GetNativeAsync(answer.TaskId!);
            var expected = policy.Normalize(requested);
            Assert.Equal(expected, task.TimeoutMs);
            Assert.Equal(task.CreatedAt.AddMilliseconds(expected!.Value), task.DeadlineAt);
            await server.Broker.CancelAsync(task.Id, null, "test", Ct);
        });
    }

    [Fact]
    [Trait("property", "10")]
    public void Property10_AnyTask_StatusFieldsOfItsState()
    {
        var states = Gen.OneOf(Enum.GetValues<TaskState>().Select(Gen.Const).ToArray());
        var at = Gen.Long[1_600_000_000_000, 2_000_000_000_000].Select(DateTimeOffset.FromUnixTimeMilliseconds);
        var results = Gen.OneOf(Gen.Const("null"), Gen.Const("""{"text":"hi"}"""), Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var cases = Gen.Select(states, Gen.Select(at, at, at), results, Gen.String[0, 20], Gen.Long[1, 1000].Nullable(), Gen.Bool);

        cases.Sample(c =>
        {
            var (state, (created, started, finished), result, message, position, leased) = c;
            var task = new TaskRecord
            {
                Id = Guid.NewGuid().ToString(),
                Type = DispatcherDialect.TaskType,
                State = state,
                CreatedAt = created,
                UpdatedAt = created,
                StartedAt = started,
                FinishedAt = finished,
                Result = state == TaskState.Completed ? new JsonText(result) : null,
                Error = state == TaskState.Failed ? new TaskError("worker_error", message, ErrorKind.Fatal) : null,
                Lease = leased ? new Lease("W1-0a1b2c3d", 7, started) : null,
            };

            using var document = JsonDocument.Parse(DispatcherJson.Status(task, position));
            var body = document.RootElement;
            var keys = body.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(task.Id, body.GetProperty("taskId").GetString());
            switch (state)
            {
                case TaskState.Queued or TaskState.Scheduled or TaskState.Blocked:
                    Assert.Equal(["taskId", "status", "enqueuedAt", "position"], keys);
                    Assert.Equal("queued", body.GetProperty("status").GetString());
                    Assert.Equal(created.ToUnixTimeMilliseconds(), body.GetProperty("enqueuedAt").GetInt64());
                    Assert.Equal(position ?? 1, body.GetProperty("position").GetInt64());
                    break;
                case TaskState.Running or TaskState.Review:
                    Assert.Equal(["taskId", "status", "workerId", "startedAt"], keys);
                    Assert.Equal("executing", body.GetProperty("status").GetString());
                    Assert.Equal(leased ? "W1-0a1b2c3d" : null, body.GetProperty("workerId").GetString());
                    Assert.Equal(started.ToUnixTimeMilliseconds(), body.GetProperty("startedAt").GetInt64());
                    break;
                case TaskState.Completed:
                    Assert.Equal(["taskId", "status", "result", "completedAt"], keys);
                    Assert.Equal("completed", body.GetProperty("status").GetString());
                    Assert.Equal(result, body.GetProperty("result").GetRawText());
                    Assert.Equal(finished.ToUnixTimeMilliseconds(), body.GetProperty("completedAt").GetInt64());
                    break;
                default:
                    Assert.Equal(["taskId", "status", "error", "failedAt"], keys);
                    Assert.Equal("failed", body.GetProperty("status").GetString());
                    Assert.Equal(state == TaskState.Failed ? message : "Task cancelled", body.GetProperty("error").GetString());
                    Assert.Equal(finished.ToUnixTimeMilliseconds(), body.GetProperty("failedAt").GetInt64());
                    break;
            }
        }, iter: 1_000);
    }

    [Fact]
    [Trait("property", "11")]
    public async Task Property11_FinishedTask_ReadableForExactlyTheResultTtl()
    {
        const long ttl = 60_000;
        await using var server = await DialectServer.StartWithClockAsync(new Dictionary<string, string?> { ["TASK_RESULT_TTL_MS"] = $"{ttl}" });
        await using var worker = await server.ConnectAsync();

        var before = Gen.Frequency((1, Gen.Const(ttl - 1)), (1, Gen.Const(0L)), (3, Gen.Long[0, ttl - 1]));
        var after = Gen.Frequency((1, Gen.Const(ttl)), (3, Gen.Long[ttl, 2 * ttl]));
        await Gen.Select(Gen.Bool, before, after).CheckAsync(async c =>
        {
            var (fail, readableAt, goneAt) = c;
            var answering = server.PostAsync("""{"data":1}""");
            var (taskId, _) = await worker.ReceiveTaskAsync();
            await (fail ? worker.FailAsync(taskId, "no") : worker.CompleteAsync(taskId, "1"));
            await answering.WaitAsync(PropertyKit.Bound, Ct);
            var finished = (await server.GetNativeAsync(taskId)).FinishedAt!.Value;

            server.AdvanceTo(finished.AddMilliseconds(readableAt));
            var readable = await server.GetStatusAsync(taskId);
            Assert.Equal((200, fail ? "failed" : "completed"), (readable.Status, readable.State));

            server.AdvanceTo(finished.AddMilliseconds(goneAt));
            var gone = await server.GetStatusAsync(taskId);
            Assert.Equal((404, """{"error":"Task not found or expired"}"""), (gone.Status, gone.Text));
        });
    }
}
