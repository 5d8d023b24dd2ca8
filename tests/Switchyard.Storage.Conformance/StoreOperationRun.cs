using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>
/// Plays a random sequence of <see cref="StoreOp"/>s against a store, checking each answer as it comes,
/// then checks the invariants every store must keep whatever happened.
/// </summary>
internal sealed class StoreOperationRun(StoreUnderTest sut, FakeTimeProvider time, CancellationToken cancellationToken)
{
    private const long ResultTtlMs = 86_400_000;
    private const long LeaseMs = 10_000;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60); // detects hangs; times nothing
    private static readonly string[] Queues = ["q1", "q2"];
    private static readonly string[] Types = ["alpha", "beta"];
    private static readonly long[] ClockSteps = [1_000, 3_000, 10_000, 31_000];
    private static readonly RetrySpec NoBackoff = new(BackoffKind.Fixed, 0, 0, 1, 0);
    private static readonly RetrySpec TwoSeconds = new(BackoffKind.Fixed, 2_000, 2_000, 1, 0);
    private static readonly Dictionary<string, int> NoLimits = [];
    private static readonly EngineOptions Options = new();

    private static readonly string[] LeasedRefusals = [ErrorCodes.StaleLease, ErrorCodes.TaskCancelled, ErrorCodes.LeaseExpired];
    private static readonly string[] MoveRefusals = [ErrorCodes.IllegalTransition];
    private static readonly string[] ReviewRefusals = [ErrorCodes.IllegalTransition, ErrorCodes.StaleLease, ErrorCodes.ReviewClaimed];
    private static readonly DependencyFailurePolicy[] Policies = Enum.GetValues<DependencyFailurePolicy>();

    private readonly List<string> _ids = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _reviewTokens = new(StringComparer.Ordinal);
    private long _lastToken;
    private int _nextId;

    private ITaskStore Store => sut.Store;

    private ITaskQueries Queries => sut.Queries;

    public async Task RunAsync(IReadOnlyList<StoreOp> operations)
    {
        foreach (var op in operations)
        {
            await ApplyAsync(op);
        }

        await StoreInvariants.AssertAsync(Queries, _ids, _tokens, Queues, cancellationToken);
    }

    private Task ApplyAsync(StoreOp op) => op.Kind switch
    {
        StoreOpKind.Enqueue => EnqueueAsync(op),
        StoreOpKind.Claim => ClaimAsync(op),
        StoreOpKind.Complete => LeasedAsync(op, TaskTrigger.Complete, (id, token) =>
            Store.CompleteAsync(new CompleteRequest(id, token, new JsonText($"{op.B}"), ResultTtlMs, null), cancellationToken)),
        StoreOpKind.FailRetryable => LeasedAsync(op, TaskTrigger.Fail, (id, token) => Store.FailAsync(
            new FailRequest(id, token, new TaskError("flaky", "again", ErrorKind.Retryable), null, 0.5, ResultTtlMs, null), cancellationToken)),
        StoreOpKind.FailFatal => LeasedAsync(op, TaskTrigger.Fail, (id, token) => Store.FailAsync(
            new FailRequest(id, token, new TaskError("broken", "no", ErrorKind.Fatal), null, 0.5, ResultTtlMs, null), cancellationToken)),
        StoreOpKind.Heartbeat => HeartbeatAsync(op),
        StoreOpKind.Cancel => MoveAsync(op, TaskTrigger.Cancel, id =>
            Store.CancelAsync(new CancelRequest(id, "random", ResultTtlMs, "prop"), cancellationToken)),
        StoreOpKind.Retry => MoveAsync(op, TaskTrigger.Retry, id =>
            Store.RetryAsync(new RetryRequest(id, "random", "prop"), cancellationToken)),
        StoreOpKind.AdvanceClock => AdvanceAsync(op),
        StoreOpKind.ExpireLeases => SweepAsync(TaskTrigger.LeaseExpired, r => Store.ExpireLeasesAsync(r, cancellationToken), op),
        StoreOpKind.PromoteScheduled => SweepAsync(TaskTrigger.Promote, r => Store.PromoteScheduledAsync(r, cancellationToken), op),
        StoreOpKind.FailOverdue => SweepAsync(TaskTrigger.Deadline, r => Store.FailOverdueAsync(r, cancellationToken), op),
        StoreOpKind.Restart => sut.RestartAsync(cancellationToken).WaitAsync(Bound, cancellationToken),
        StoreOpKind.Accept => ReviewAsync(op, TaskTrigger.Accept, (id, token, force) =>
            Store.AcceptAsync(new ReviewRequest(id, token, force, null, ResultTtlMs, "prop"), cancellationToken)),
        StoreOpKind.Reject => ReviewAsync(op, TaskTrigger.Reject, (id, token, force) =>
            Store.RejectAsync(new ReviewRequest(id, token, force, $"feedback {op.B}", ResultTtlMs, "prop"), cancellationToken)),
        StoreOpKind.ClaimReview => ClaimReviewAsync(op),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private async Task EnqueueAsync(StoreOp op)
    {
        var now = time.GetUtcNow();
        var first = _nextId;
        var records = Enumerable.Range(0, 1 + (op.B % 2)).Select(i => NewTasks.Build(new SubmitTask
        {
            Id = $"t{_nextId++}",
            DependsOn = DependenciesFor(op, i, first),
            OnDependencyFailure = Policies[(op.A + op.B) % Policies.Length],
            Type = Types[(op.A + i) % 2],
            Queue = Queues[(op.A / 2) % 2],
            Priority = op.B % 3,
            MaxAttempts = 1 + (op.A % 3),
            Retry = op.B % 4 == 0 ? TwoSeconds : NoBackoff,
            DelayMs = op.A % 5 == 0 ? 3_000 : null,
            TimeoutMs = op.B % 3 == 0 ? 20_000 : null,
            Review = op.A % 6 == 0 ? ReviewMode.Required : null,
            IdempotencyKey = op.B % 11 == 0 ? $"key-{op.A % 3}" : null,
        }, Options, now).Value!).ToArray();

        var outcome = await Bounded(Store.EnqueueAsync(new EnqueueRequest(records, NoLimits, "prop") { ResultTtlMs = ResultTtlMs }, cancellationToken));

        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        Assert.Equal(records.Length, outcome.Value.Tasks.Count);
        foreach (var move in outcome.Value.Transitions)
        {
            if (move.Trigger == TaskTrigger.Submit)
            {
                Assert.True(move.From is null && move.Task.State.IsWaiting() && move.Consequences.Count == 0);
            }
            else
            {
                AssertLegal(move, move.Trigger);
                Assert.True(move.Trigger is TaskTrigger.Release or TaskTrigger.DependencyFailed, $"{move.Trigger} at submit");
            }
        }

        foreach (var enqueued in outcome.Value.Tasks)
        {
            Assert.Equal(enqueued.Created, !_known.Contains(enqueued.Task.Id));
            if (_known.Add(enqueued.Task.Id))
            {
                _ids.Add(enqueued.Task.Id);
            }
        }
    }

    private async Task ClaimAsync(StoreOp op)
    {
        IReadOnlyList<string> queues = op.B % 3 == 0 ? Queues : [Queues[op.B % 2]];
        IReadOnlyList<string> types = op.A % 4 == 0 ? [Types[0]] : [];
        var request = new ClaimRequest($"w{op.A % 3}", queues, [], types, 1 + (op.A % 3), LeaseMs, 30_000);

        var result = await Bounded(Store.ClaimAsync(request, cancellationToken));

        Assert.True(result.Claimed.Count <= request.MaxTasks);
        foreach (var move in result.Claimed)
        {
            AssertLegal(move, TaskTrigger.Claim);
            Assert.Contains(move.Task.Queue, queues);
            Assert.True(types.Count == 0 || types.Contains(move.Task.Type));
            Assert.True(move.Task.Attempt <= move.Task.MaxAttempts, $"{move.Task.Id} runs attempt {move.Task.Attempt} of {move.Task.MaxAttempts}");
            await AssertDependenciesDoneAsync(move.Task);
            var token = move.Task.Lease!.Token;
            Assert.True(token > _lastToken, $"fencing token {token} after {_lastToken}");
            _lastToken = token;
            _tokens[move.Task.Id] = token;
        }

        if (result.Claimed.Count < request.MaxTasks)
        {
            // A claim that came back short must have taken every task it could.
            var now = time.GetUtcNow();
            var left = (await ListAllAsync(new TaskQuery { States = [TaskState.Queued], Limit = TaskQuery.MaxLimit }))
                .Where(t => queues.Contains(t.Queue) && (types.Count == 0 || types.Contains(t.Type)) && !(t.DeadlineAt <= now))
                .Select(t => t.Id)
                .ToArray();
            Assert.True(left.Length == 0, $"a short claim left claimable tasks behind: {string.Join(", ", left)}");
        }
    }

    private async Task LeasedAsync(StoreOp op, TaskTrigger trigger, Func<string, long, Task<Outcome<AppliedTransition>>> call)
    {
        if (await PickAsync(op, TaskState.Running) is not { } id)
        {
            return;
        }

        var outcome = await Bounded(call(id, TokenFor(id, op)));
        if (outcome.IsSuccess)
        {
            AssertLegal(outcome.Value, trigger);
        }
        else
        {
            Assert.Contains(outcome.Error.Code, LeasedRefusals);
        }
    }

    private async Task HeartbeatAsync(StoreOp op)
    {
        if (await PickAsync(op, TaskState.Running) is not { } id)
        {
            return;
        }

        var token = TokenFor(id, op);
        var outcome = await Bounded(Store.HeartbeatAsync(new HeartbeatRequest(id, token, null, LeaseMs, null), cancellationToken));
        if (outcome.IsSuccess)
        {
            Assert.Equal(token, outcome.Value.Token);
            Assert.Equal(time.GetUtcNow().AddMilliseconds(LeaseMs), outcome.Value.ExpiresAt);
        }
        else
        {
            Assert.Contains(outcome.Error.Code, LeasedRefusals);
        }
    }

    private async Task MoveAsync(StoreOp op, TaskTrigger trigger, Func<string, Task<Outcome<AppliedTransition>>> call)
    {
        if (await PickAsync(op, TaskTransitions.SourcesOf(trigger).ToArray()) is not { } id)
        {
            return;
        }

        var outcome = await Bounded(call(id));
        if (outcome.IsSuccess)
        {
            AssertLegal(outcome.Value, trigger);
        }
        else
        {
            Assert.Contains(outcome.Error.Code, MoveRefusals);
        }
    }

    /// <summary>Some tasks wait for one or two earlier tasks (stored, or the first of the same batch).</summary>
    private List<string>? DependenciesFor(StoreOp op, int indexInBatch, int firstOfBatch)
    {
        if (op.A % 3 != 1)
        {
            return null;
        }

        var deps = new List<string>();
        if (indexInBatch > 0)
        {
            deps.Add($"t{firstOfBatch}");
        }

        if (_ids.Count > 0)
        {
            deps.Add(_ids[op.B % _ids.Count]);
            if (op.B % 2 == 0)
            {
                deps.Add(_ids[(op.B / 2) % _ids.Count]);
            }
        }

        return deps.Count == 0 ? null : [.. deps.Distinct()];
    }

    /// <summary>No dependent runs before its dependencies complete (or ended otherwise, when its policy is ignore).</summary>
    private async Task AssertDependenciesDoneAsync(TaskRecord task)
    {
        if (task.DependsOn.Count == 0)
        {
            return;
        }

        var deps = await Bounded(Queries.ListRelatedAsync(task.Id, TaskRelation.Dependencies, cancellationToken)) ?? [];
        Assert.Equal(task.DependsOn.Order(StringComparer.Ordinal), deps.Select(d => d.Id).Order(StringComparer.Ordinal));
        foreach (var d in deps)
        {
            // Under "ignore" a dependency that ended failed or cancelled released the task; a later manual retry of it does not
            // take the release back.
            var endedBadly = task.OnDependencyFailure == DependencyFailurePolicy.Ignore
                && (await Bounded(Queries.ListHistoryAsync(d.Id, cancellationToken)) ?? []).Any(h => h.To is TaskState.Failed or TaskState.Cancelled);
            Assert.True(d.State == TaskState.Completed || endedBadly, $"{task.Id} runs while its dependency {d.Id} is {d.State.ToName()}");
        }
    }

    private async Task ReviewAsync(StoreOp op, TaskTrigger trigger, Func<string, long?, bool, Task<Outcome<AppliedTransition>>> call)
    {
        if (await PickAsync(op, TaskState.Review) is not { } id)
        {
            return;
        }

        long? token = _reviewTokens.TryGetValue(id, out var held) && op.B % 3 != 0 ? held : null;
        var outcome = await Bounded(call(id, token, op.B % 7 == 0));
        if (outcome.IsSuccess)
        {
            AssertLegal(outcome.Value, trigger);
            _reviewTokens.Remove(id);
        }
        else
        {
            Assert.Contains(outcome.Error.Code, ReviewRefusals);
        }
    }

    private async Task ClaimReviewAsync(StoreOp op)
    {
        var leased = await Bounded(Store.ClaimReviewAsync(
            new ReviewClaimRequest($"r{op.A % 2}", Queues, [], 1 + (op.B % 2), 5_000), cancellationToken));
        foreach (var task in leased)
        {
            Assert.Equal(TaskState.Review, task.State);
            Assert.True(task.ReviewLease!.Token > _lastToken, "review leases take fencing tokens too");
            _lastToken = task.ReviewLease.Token;
            _reviewTokens[task.Id] = task.ReviewLease.Token;
        }
    }

    private Task AdvanceAsync(StoreOp op)
    {
        time.Advance(TimeSpan.FromMilliseconds(ClockSteps[op.A % ClockSteps.Length]));
        return Task.CompletedTask;
    }

    private async Task SweepAsync(
        TaskTrigger trigger, Func<MaintenanceRequest, Task<IReadOnlyList<AppliedTransition>>> sweep, StoreOp op)
    {
        var request = new MaintenanceRequest(1 + (op.A % 4), ResultTtlMs, op.B / 100.0);

        var moved = await Bounded(sweep(request));

        Assert.True(moved.Count <= request.MaxTasks);
        Assert.All(moved, move => AssertLegal(move, trigger));
    }

    private async Task<List<TaskRecord>> ListAllAsync(TaskQuery query)
    {
        var all = new List<TaskRecord>();
        var page = await Bounded(Queries.ListTasksAsync(query, cancellationToken));
        all.AddRange(page.Tasks);
        while (page.NextCursor is { } cursor)
        {
            Assert.True(all.Count <= _ids.Count, "paging returns more tasks than exist");
            page = await Bounded(Queries.ListTasksAsync(query with { Cursor = cursor }, cancellationToken));
            all.AddRange(page.Tasks);
        }

        return all;
    }

    /// <summary>
    /// Mostly a task in one of <paramref name="states"/>, so calls do more than bounce off; sometimes any task,
    /// so refusals are exercised too.
    /// </summary>
    private async Task<string?> PickAsync(StoreOp op, params TaskState[] states)
    {
        if (op.A % 5 != 0)
        {
            var candidates = await ListAllAsync(new TaskQuery { States = states, Limit = TaskQuery.MaxLimit });
            if (candidates.Count > 0)
            {
                return candidates[op.A % candidates.Count].Id;
            }
        }

        return _ids.Count == 0 ? null : _ids[op.A % _ids.Count];
    }

    /// <summary>The token of the task's latest claim, or sometimes an older or made-up one, to exercise refusals.</summary>
    private long TokenFor(string id, StoreOp op) =>
        _tokens.TryGetValue(id, out var token) ? (op.B % 5 == 0 ? token - 1 : token) : 1 + (op.B % 3);

    private static void AssertLegal(AppliedTransition move, TaskTrigger trigger)
    {
        Assert.Equal(trigger, move.Trigger);
        Assert.NotNull(move.From);
        Assert.True(TaskTransitions.IsAllowed(move.From.Value, move.Trigger, move.Task.State),
            $"{move.Task.Id}: {move.From.Value.ToName()} -> {move.Task.State.ToName()} on {move.Trigger.ToEventName()} is not in the table");
        foreach (var consequence in move.Consequences)
        {
            var retriedItself = move.Task.State == TaskState.Blocked && consequence.Task.Id == move.Task.Id;
            Assert.True(move.Task.State.IsTerminal() || retriedItself, $"{move.Task.Id} is {move.Task.State.ToName()} yet moved its dependents");
            AssertLegal(consequence, consequence.Trigger);
            Assert.True(consequence.Trigger is TaskTrigger.Release or TaskTrigger.DependencyFailed, $"consequence {consequence.Trigger}");
        }
    }

    private Task<T> Bounded<T>(Task<T> task) => task.WaitAsync(Bound, cancellationToken);
}
