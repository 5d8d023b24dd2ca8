using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;
using Switchyard.Core.Types;

namespace Switchyard.Storage.Conformance;

/// <summary>The limits of one random run: queue a's running limit, type t1's concurrency, queue b's rate, group g1's rate in queue a.</summary>
public sealed record LimitSettings(int MaxRunningA, int ConcurrencyT1, RateLimit RateB, RateLimit RateAg1)
{
    public override string ToString() => $"maxRunning(a)={MaxRunningA} concurrency(t1)={ConcurrencyT1} rate(b)={RateB} rate(a,g1)={RateAg1}";
}

/// <summary>
/// Plays random claims, completions and clock steps against a store whose queues have limits, checking after every
/// claim that no limit is exceeded; at the end, that every task still gets out once the clock moves on.
/// </summary>
internal sealed class LimitRun(StoreUnderTest sut, FakeTimeProvider time, LimitSettings limits, CancellationToken cancellationToken)
{
    private const int Tasks = 24;
    private const long LeaseMs = 3_600_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60); // detects hangs; times nothing
    private static readonly long[] ClockSteps = [50, 200, 700, 1_500];
    private static readonly string[][] QueueChoices = [["a"], ["b"], ["a", "b"]];

    private readonly Dictionary<string, TaskRecord> _running = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> _startsB = [];
    private readonly List<DateTimeOffset> _startsAg1 = [];
    private int _completed;

    private ITaskStore Store => sut.Store;

    private IControlStore Controls => (IControlStore)sut.Store;

    public async Task RunAsync(IReadOnlyList<StoreOp> operations)
    {
        await SetUpAsync();
        foreach (var op in operations)
        {
            switch (op.Kind)
            {
                case StoreOpKind.Claim:
                    await ClaimAsync($"w{op.A % 3}", 1 + (op.B % 4), QueueChoices[op.A % QueueChoices.Length]);
                    break;
                case StoreOpKind.Complete when _running.Count > 0:
                    await CompleteAsync(_running.Keys.Order(StringComparer.Ordinal).ElementAt(op.A % _running.Count));
                    break;
                case StoreOpKind.AdvanceClock:
                    time.Advance(TimeSpan.FromMilliseconds(ClockSteps[op.A % ClockSteps.Length]));
                    break;
            }
        }

        // Liveness: held tasks go once capacity and tokens return.
        for (var round = 0; _completed < Tasks; round++)
        {
            Assert.True(round < 100, $"{Tasks - _completed} tasks never got out ({limits})");
            foreach (var id in _running.Keys.ToArray())
            {
                await CompleteAsync(id);
            }

            time.Advance(TimeSpan.FromSeconds(2));
            await ClaimAsync("drain", 10, ["a", "b"]);
        }
    }

    private async Task SetUpAsync()
    {
        await Controls.PutTaskTypeAsync(new PutTaskTypeRequest(new TaskTypeDefinition { Type = "t1", Concurrency = limits.ConcurrencyT1 }, null), cancellationToken)
            .WaitAsync(Bound, cancellationToken);
        await Controls.UpdateQueueSettingsAsync(new UpdateQueueSettingsRequest("a", new QueueSettingsPatch
        {
            MaxRunning = Patch<int?>.Set(limits.MaxRunningA),
            GroupRates = Patch<IReadOnlyDictionary<string, RateLimit?>?>.Set(new Dictionary<string, RateLimit?> { ["g1"] = limits.RateAg1 }),
        }, null), cancellationToken).WaitAsync(Bound, cancellationToken);
        await Controls.UpdateQueueSettingsAsync(
            new UpdateQueueSettingsRequest("b", new QueueSettingsPatch { Rate = Patch<RateLimit?>.Set(limits.RateB) }, null), cancellationToken)
            .WaitAsync(Bound, cancellationToken);

        var now = time.GetUtcNow();
        var records = Enumerable.Range(0, Tasks).Select(i => NewTasks.Build(new SubmitTask
        {
            Id = $"t{i:00}",
            Type = i % 3 == 0 ? "t1" : "t2",
            Queue = i % 2 == 0 ? "a" : "b",
            Group = i % 4 == 0 ? "g1" : null,
            Scope = i % 5 == 0 ? "s2" : "s1",
            Priority = i % 3,
            Retry = new RetrySpec(BackoffKind.Fixed, 0, 0, 1, 0),
        }, new EngineOptions(), now).Value!).ToArray();
        var enqueued = await Store.EnqueueAsync(new EnqueueRequest(records, new Dictionary<string, int>(), null), cancellationToken)
            .WaitAsync(Bound, cancellationToken);
        Assert.True(enqueued.IsSuccess);
    }

    private async Task ClaimAsync(string worker, int maxTasks, IReadOnlyList<string> queues)
    {
        var result = await Store.ClaimAsync(new ClaimRequest(worker, queues, ["g1"], [], maxTasks, LeaseMs, LeaseMs), cancellationToken)
            .WaitAsync(Bound, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var task in result.Claimed.Select(c => c.Task))
        {
            Assert.Contains(task.Queue, queues);
            _running.Add(task.Id, task);
            if (task.Queue == "b")
            {
                _startsB.Add(now);
            }
            else if (task.Group == "g1")
            {
                _startsAg1.Add(now);
            }
        }

        Assert.True(_running.Values.Count(t => t.Queue == "a") <= limits.MaxRunningA, $"queue a runs more than {limits.MaxRunningA}");
        Assert.True(_running.Values.Count(t => t.Type == "t1") <= limits.ConcurrencyT1, $"type t1 runs more than {limits.ConcurrencyT1}");
        AssertRate(_startsB, limits.RateB, "queue b");
        AssertRate(_startsAg1, limits.RateAg1, "group g1 of queue a");
    }

    /// <summary>A token bucket never lets more start in [t1, t2] than its burst plus what refilled in between.</summary>
    private static void AssertRate(List<DateTimeOffset> starts, RateLimit rate, string what)
    {
        if (starts.Count == 0)
        {
            return;
        }

        var last = starts[^1];
        for (var i = 0; i < starts.Count; i++)
        {
            var allowed = rate.Tasks + (rate.Tasks * (long)(last - starts[i]).TotalMilliseconds / rate.IntervalMs);
            Assert.True(starts.Count - i <= allowed, $"{what}: {starts.Count - i} starts in {(last - starts[i]).TotalMilliseconds} ms exceed {rate}");
        }
    }

    private async Task CompleteAsync(string id)
    {
        var task = _running[id];
        var done = await Store.CompleteAsync(new CompleteRequest(id, task.Lease!.Token, JsonText.Null, 3_600_000, null), cancellationToken)
            .WaitAsync(Bound, cancellationToken);
        Assert.True(done.IsSuccess, done.Error?.Message);
        _running.Remove(id);
        _completed++;
    }
}
