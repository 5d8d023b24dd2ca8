using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Events;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Engine;

/// <summary>
/// The engine's front door: every surface (REST, WebSocket, dialects, CLI) goes through it. It validates,
/// fills defaults, asks the store to apply moves, then publishes their events and wakes waiters.
/// </summary>
public sealed partial class TaskBroker
{
    private readonly ITaskStore _store;
    private readonly ITaskQueries _queries;
    private readonly TaskEventHub _events;
    private readonly TimeProvider _time;
    private readonly ILogger<TaskBroker> _logger;
    private readonly TaskAdmission _admission;
    private readonly IClusterBus _cluster;
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskMetrics? _metrics;

    public const int MaxFeedbackLength = 100_000;

    /// <summary>Why a task claimed for a caller that went away before the answer is back in its queue.</summary>
    public static readonly TaskError ClaimUnanswered =
        new("claim_unanswered", "The claimer went away before the claim was answered", ErrorKind.Retryable);

    public TaskBroker(
        ITaskStore store,
        ITaskQueries queries,
        TaskEventHub events,
        IOptions<EngineOptions> options,
        TimeProvider time,
        ILogger<TaskBroker> logger,
        TaskAdmission? admission = null,
        IClusterBus? cluster = null,
        IMeterFactory? meters = null)
    {
        _metrics = meters is null ? null : new TaskMetrics(meters);
        _admission = admission ?? new TaskAdmission();
        _cluster = cluster ?? SingleNodeBus.Instance;
        _store = store;
        _queries = queries;
        _events = events;
        _time = time;
        _logger = logger;
        Options = options.Value;
        var problems = Options.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(EngineOptions.Section, typeof(EngineOptions), problems);
        }
    }

    public EngineOptions Options { get; }

    public TaskWaiters Waiters { get; } = new();

    public WorkSignal WorkArrived { get; } = new();

    public TaskEventHub Events => _events;

    public TimeProvider Time => _time;

    public IClusterBus Cluster => _cluster;

    /// <summary>Raised for every applied move, after it is durable and before its event is published; handlers must be quick.</summary>
    public event Action<AppliedTransition>? Moved;

    public Task<Outcome<EnqueuedTask>> SubmitAsync(SubmitTask spec, string? actor, CancellationToken cancellationToken) =>
        SubmitAsync(spec, actor, null, cancellationToken);

    /// <summary>Submits one task; <paramref name="maxQueueLength"/>, when given, is its queue's limit for this call (over stored and configured ones).</summary>
    public async Task<Outcome<EnqueuedTask>> SubmitAsync(SubmitTask spec, string? actor, int? maxQueueLength, CancellationToken cancellationToken)
    {
        var outcome = await SubmitBatchAsync([spec], actor, cancellationToken, singular: true, maxQueueLength);
        return outcome.IsSuccess ? outcome.Value[0] : outcome.Error;
    }

    /// <summary>
    /// <paramref name="spec"/> as its task type has it (defaults filled, payload checked against the type's schema), and
    /// built into the task a submit now would store; refusals name their field after <paramref name="fieldPrefix"/>.
    /// Nothing is stored: a schedule checks its template so.
    /// </summary>
    public Outcome<TaskRecord> Check(SubmitTask spec, string fieldPrefix) => Build(spec, fieldPrefix, TimeMs.Now(_time));

    /// <summary>The task <paramref name="spec"/> makes at <paramref name="now"/>, as its type has it: what a submit stores.</summary>
    private Outcome<TaskRecord> Build(SubmitTask spec, string fieldPrefix, DateTimeOffset now)
    {
        var admitted = _admission.Prepare(spec, Options, fieldPrefix);
        return admitted.IsSuccess ? NewTasks.Build(admitted.Value, Options, now, fieldPrefix) : admitted.Error;
    }

    public async Task<Outcome<IReadOnlyList<EnqueuedTask>>> SubmitBatchAsync(
        IReadOnlyList<SubmitTask> specs, string? actor, CancellationToken cancellationToken, bool singular = false, int? maxQueueLength = null)
    {
        if (specs.Count == 0)
        {
            return OperationError.Validation("tasks", "a batch needs at least one task");
        }

        if (specs.Count > Options.MaxBatchSize)
        {
            return OperationError.Validation("tasks", $"a batch holds at most {Options.MaxBatchSize} tasks, not {specs.Count}");
        }

        var now = TimeMs.Now(_time);
        var records = new TaskRecord[specs.Count];
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            var prefix = singular ? string.Empty : $"tasks[{i}].";
            var built = Build(specs[i], prefix, now);
            if (!built.IsSuccess)
            {
                return built.Error;
            }

            records[i] = built.Value;
            if (!limits.ContainsKey(built.Value.Queue) && (maxQueueLength ?? Options.MaxQueueLengthOf(built.Value.Queue)) is { } limit)
            {
                limits[built.Value.Queue] = limit;
            }
        }

        var linked = Flows.Link(records, singular ? string.Empty : "tasks.");
        if (!linked.IsSuccess)
        {
            return linked.Error;
        }

        var request = new EnqueueRequest(linked.Value, limits, actor) { ResultTtlMs = Options.ResultTtlMs, StoredLengthsApply = maxQueueLength is null };
        var stored = await _store.EnqueueAsync(request, cancellationToken);
        if (!stored.IsSuccess)
        {
            return stored.Error;
        }

        Publish(stored.Value.Transitions);
        return Outcome<IReadOnlyList<EnqueuedTask>>.Success(AsLeft(stored.Value));
    }

    /// <summary>
    /// The stored tasks as the enqueue left them: one that a task of the same batch released or failed at once (its
    /// dependency cancelled, say) is in that state, not in the one it was stored in.
    /// </summary>
    private static IReadOnlyList<EnqueuedTask> AsLeft(EnqueueResult stored)
    {
        if (stored.Transitions.All(t => t.Consequences.Count == 0))
        {
            return stored.Tasks; // the store answers each task's own move, release or failure (the common case: no lookup)
        }

        var latest = new Dictionary<string, TaskRecord>(StringComparer.Ordinal);
        foreach (var move in AppliedTransition.Flatten(stored.Transitions))
        {
            latest[move.Task.Id] = move.Task;
        }

        return stored.Tasks.Select(t => t.Created && latest.TryGetValue(t.Task.Id, out var now) ? t with { Task = now } : t).ToArray();
    }

    public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken) =>
        _queries.GetTaskAsync(taskId, cancellationToken);

    /// <summary>
    /// Returns the task once it has settled (finished or in review), or as it is when <paramref name="timeout"/>
    /// passes first; null when it does not exist.
    /// </summary>
    public async Task<TaskRecord?> WaitAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var registration = Waiters.Register(taskId);
        var task = await _queries.GetTaskAsync(taskId, cancellationToken);
        return task is null ? null : await WaitAsync(registration, task, timeout, cancellationToken);
    }

    /// <summary>
    /// Waits on a registration made <em>before</em> <paramref name="known"/> was read or written (a submit that
    /// registered its new task's id first): no store read is needed, since any later settle notifies the registration.
    /// Returns the task once settled, or as the store has it when <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<TaskRecord> WaitAsync(TaskWaiters.Registration registration, TaskRecord known, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(known);
        if (Waiters.Ends(known) || (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan))
        {
            return known;
        }

        try
        {
            return await registration.Settled.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return await _queries.GetTaskAsync(known.Id, cancellationToken) ?? known;
        }
    }

    /// <summary>
    /// The server is stopping: claims stop waiting for work, and waits for tasks that none of the server's workers holds
    /// (<paramref name="heldHere"/>) end now with the task as it is (see <see cref="TaskWaiters.Stop"/>), so the host need
    /// not wait out its shutdown timeout for them. Waits for tasks its workers hold end when those report or let go.
    /// </summary>
    public async Task StopWaitingAsync(Func<TaskRecord, bool> heldHere, CancellationToken cancellationToken)
    {
        Waiters.Stop(heldHere);
        _stopping.TrySetResult();
        foreach (var taskId in Waiters.TaskIds)
        {
            if (await _queries.GetTaskAsync(taskId, cancellationToken) is { } task)
            {
                Waiters.Notify(task);
            }
        }
    }

    /// <summary>A new task id (time-ordered), for callers that register a waiter before they submit.</summary>
    public string NewTaskId() => Guid.CreateVersion7(_time.GetUtcNow()).ToString();

    /// <summary>1-based place of a waiting task in its queue, in claim order; null when it is not waiting.</summary>
    public Task<long?> QueuePositionAsync(string taskId, CancellationToken cancellationToken) =>
        _queries.GetQueuePositionAsync(taskId, cancellationToken);

    public Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken) =>
        _queries.ListTasksAsync(query, cancellationToken);

    public Task<long> CountAsync(TaskQuery query, long? upTo, CancellationToken cancellationToken) =>
        _queries.CountTasksAsync(query, upTo, cancellationToken);

    public Task<IReadOnlyList<HistoryEntry>?> HistoryAsync(string taskId, CancellationToken cancellationToken) =>
        _queries.ListHistoryAsync(taskId, cancellationToken);

    public Task<IReadOnlyList<QueueStats>> QueueStatsAsync(CancellationToken cancellationToken) =>
        _queries.ListQueueStatsAsync(cancellationToken);

    public Task<Outcome<AppliedTransition>> CancelAsync(string taskId, string? reason, string? actor, CancellationToken cancellationToken) =>
        Apply(_store.CancelAsync(new CancelRequest(taskId, reason, Options.ResultTtlMs, actor), cancellationToken), reason);

    public Task<Outcome<AppliedTransition>> RetryAsync(string taskId, string? reason, string? actor, CancellationToken cancellationToken) =>
        Apply(_store.RetryAsync(new RetryRequest(taskId, reason, actor) { ResultTtlMs = Options.ResultTtlMs }, cancellationToken));

    public Task<IReadOnlyList<TaskRecord>?> RelatedAsync(string taskId, TaskRelation relation, CancellationToken cancellationToken) =>
        _queries.ListRelatedAsync(taskId, relation, cancellationToken);

    /// <summary>Accepts a task in review; <paramref name="force"/> overrides another reviewer's claim (admins only).</summary>
    public Task<Outcome<AppliedTransition>> AcceptAsync(string taskId, long? leaseToken, bool force, string? actor, CancellationToken cancellationToken) =>
        Apply(_store.AcceptAsync(new ReviewRequest(taskId, leaseToken, force, null, Options.ResultTtlMs, actor), cancellationToken));

    /// <summary>Rejects a task in review with feedback for its next attempt.</summary>
    public Task<Outcome<AppliedTransition>> RejectAsync(
        string taskId, string feedback, long? leaseToken, bool force, string? actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(feedback) || feedback.Length > MaxFeedbackLength)
        {
            return Task.FromResult<Outcome<AppliedTransition>>(
                OperationError.Validation("feedback", $"say why the result is rejected, in 1-{MaxFeedbackLength} characters"));
        }

        return Apply(_store.RejectAsync(new ReviewRequest(taskId, leaseToken, force, feedback, Options.ResultTtlMs, actor), cancellationToken));
    }

    /// <summary>Leases tasks in review to a reviewer (oldest first) without moving them.</summary>
    public async Task<Outcome<IReadOnlyList<TaskRecord>>> ClaimReviewAsync(
        string reviewerId, IReadOnlyList<string> queues, IReadOnlyList<string> types, int maxTasks, long? leaseMs, CancellationToken cancellationToken)
    {
        if (Check(new ClaimSpec { WorkerId = reviewerId, Queues = queues, Types = types, MaxTasks = maxTasks }) is { } problem)
        {
            return problem;
        }

        var leased = await _store.ClaimReviewAsync(
            new ReviewClaimRequest(reviewerId, queues, types, maxTasks, ClampLease(leaseMs) ?? Options.DefaultLeaseMs), cancellationToken);
        return Outcome<IReadOnlyList<TaskRecord>>.Success(leased);
    }

    /// <summary>Leases up to <see cref="ClaimSpec.MaxTasks"/> tasks, waiting up to <see cref="ClaimSpec.WaitMs"/> for work to arrive.</summary>
    public async Task<Outcome<IReadOnlyList<TaskRecord>>> ClaimAsync(ClaimSpec spec, CancellationToken cancellationToken)
    {
        if (Check(spec) is { } problem)
        {
            return problem;
        }

        var request = new ClaimRequest(
            spec.WorkerId, spec.Queues, spec.Groups, spec.Types, spec.MaxTasks, ClampLease(spec.LeaseMs), Options.DefaultLeaseMs);
        var waitUntil = _time.GetUtcNow().AddMilliseconds(Math.Min(spec.WaitMs, Options.MaxClaimWaitMs));
        bool Concerns(WorkArrival arrival) => arrival.Concerns(request.Queues, request.Groups, request.Types);
        var (arrived, mark) = WorkArrived.Watch();
        while (true)
        {
            var claimed = await _store.ClaimAsync(request, cancellationToken);
            if (claimed.Claimed.Count > 0)
            {
                Publish(claimed.Claimed);
                if (cancellationToken.IsCancellationRequested)
                {
                    await HandBackUnansweredAsync(claimed.Claimed, spec.WorkerId);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                return claimed.Claimed.Select(c => c.Task).ToArray();
            }

            // Sleep until work arrives that this claimer could take: a task of another queue, group or type wakes it
            // without a trip to the store.
            while (true)
            {
                var remaining = waitUntil - _time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    return Array.Empty<TaskRecord>();
                }

                try
                {
                    await Task.WhenAny(arrived, _stopping.Task).WaitAsync(remaining, _time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    return Array.Empty<TaskRecord>();
                }

                if (_stopping.Task.IsCompleted)
                {
                    return Array.Empty<TaskRecord>(); // the server is going away: the claimer asks again elsewhere or later
                }

                var (following, now) = WorkArrived.Watch();
                var concerned = WorkArrived.AnyConcerns(mark, now, Concerns);
                (arrived, mark) = (following, now);
                if (concerned)
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Hands to their retry policy, at once, tasks claimed for a caller that went away before the claim was answered (a
    /// pull worker stopped during its long poll): nobody holds them, so they would otherwise wait out the lease.
    /// </summary>
    private async Task HandBackUnansweredAsync(IReadOnlyList<AppliedTransition> claimed, string workerId)
    {
        foreach (var move in claimed)
        {
            if (move.Task.Lease is { } lease)
            {
                var handedBack = await FailAsync(move.Task.Id, lease.Token, ClaimUnanswered, retryAfterMs: 0, workerId, CancellationToken.None);
                if (handedBack.IsSuccess)
                {
                    LogClaimHandedBack(move.Task.Id);
                }
                else
                {
                    LogHandBackRefused(move.Task.Id, handedBack.Error.Code);
                }
            }
        }
    }

    /// <summary>Extends a lease; progress, when given, is recorded and published as <c>task.progress</c> (see <see cref="ReportProgress"/>).</summary>
    public async Task<Outcome<Lease>> HeartbeatAsync(string taskId, long leaseToken, long? leaseMs, TaskProgress? progress, CancellationToken cancellationToken)
    {
        var lease = await _store.HeartbeatAsync(new HeartbeatRequest(taskId, leaseToken, ClampLease(leaseMs), Options.DefaultLeaseMs, progress), cancellationToken);
        if (!lease.IsSuccess || progress is null)
        {
            return lease; // a refused heartbeat's progress is not published either
        }

        if (!ReportProgress(taskId, leaseToken, progress)
            && await _queries.GetTaskAsync(taskId, cancellationToken) is { } task && task.Lease?.Token == leaseToken)
        {
            // A task the bus did not see start (claimed before a restart): track it from now on.
            _events.Track(task);
            ReportProgress(taskId, leaseToken, progress);
        }

        return lease;
    }

    /// <summary>
    /// Publishes a running task's progress as <c>task.progress</c>, at most 10 a second per task (the newest wins).
    /// Call it in the order the reports came; false when the bus does not know the task as running under that lease.
    /// In a cluster the report goes to every node (this one too) and each publishes it in the cluster's order.
    /// </summary>
    public bool ReportProgress(string taskId, long leaseToken, TaskProgress progress)
    {
        if (!_cluster.RoundTrip)
        {
            return _events.ReportProgress(taskId, leaseToken, progress);
        }

        _cluster.SendProgress(taskId, leaseToken, progress);
        return true;
    }

    public async Task<Outcome<AppliedTransition>> CompleteAsync(
        string taskId, long leaseToken, JsonText result, string? actor, CancellationToken cancellationToken)
    {
        await _cluster.FlushAsync(cancellationToken); // the task's last progress reports reach other nodes before its end
        return await Apply(_store.CompleteAsync(new CompleteRequest(taskId, leaseToken, result, Options.ResultTtlMs, actor), cancellationToken));
    }

    public async Task<Outcome<AppliedTransition>> FailAsync(
        string taskId, long leaseToken, TaskError error, long? retryAfterMs, string? actor, CancellationToken cancellationToken)
    {
        await _cluster.FlushAsync(cancellationToken);
        return await Apply(_store.FailAsync(
            new FailRequest(taskId, leaseToken, error, retryAfterMs, Random.Shared.NextDouble(), Options.ResultTtlMs, actor),
            cancellationToken));
    }

    /// <summary>
    /// A move another node applied, as the cluster reports it: raises <see cref="Moved"/> here as a local move would (a
    /// cancel reaches a worker connected to this node). Its event and its waiters are the <see cref="ClusterInbox"/>'s.
    /// </summary>
    public void ReplayRemote(AppliedTransition move) => Moved?.Invoke(move);

    /// <summary>Runs one maintenance sweep and publishes what it moved.</summary>
    public async Task<int> SweepAsync(
        Func<ITaskStore, MaintenanceRequest, CancellationToken, Task<IReadOnlyList<AppliedTransition>>> sweep,
        int maxTasks,
        CancellationToken cancellationToken)
    {
        var moved = await sweep(_store, new MaintenanceRequest(maxTasks, Options.ResultTtlMs, Random.Shared.NextDouble()), cancellationToken);
        Publish(moved);
        return moved.Count;
    }

    /// <summary>
    /// Deletes up to <paramref name="maxTasks"/> finished tasks whose result expired and publishes <c>task.expired</c> for
    /// each; in a cluster the store tells every node, this one included, which publish it then (after the task's last move).
    /// </summary>
    public async Task<int> PurgeExpiredAsync(int maxTasks, CancellationToken cancellationToken)
    {
        var removed = await _store.PurgeExpiredAsync(new MaintenanceRequest(maxTasks, Options.ResultTtlMs), cancellationToken);
        if (!_cluster.RoundTrip)
        {
            foreach (var task in removed)
            {
                PublishExpired(task);
            }
        }

        return removed.Count;
    }

    /// <summary><c>task.expired</c> for a task the retention cleaner deleted, timed when it was deleted (not when it finished).</summary>
    internal void PublishExpired(TaskRecord task) => _events.Publish(TaskEventTypes.Expired, task with { UpdatedAt = Time.GetUtcNow() });

    private long? ClampLease(long? leaseMs) =>
        leaseMs is { } ms ? Math.Clamp(ms, Options.MinLeaseMs, Options.MaxLeaseMs) : null;

    private OperationError? Check(ClaimSpec spec)
    {
        if (!Names.IsValid(spec.WorkerId))
        {
            return OperationError.Validation("workerId", $"'{spec.WorkerId}' {Names.Rule}");
        }

        if (spec.Queues.Count == 0 || spec.Queues.Any(q => !Names.IsValid(q)))
        {
            return OperationError.Validation("queues", $"name at least one queue; each {Names.Rule}");
        }

        if (spec.Groups.Any(g => !Names.IsValid(g)) || spec.Types.Any(t => !Names.IsValid(t)))
        {
            return OperationError.Validation("groups", $"every group and type {Names.Rule}");
        }

        if (spec.MaxTasks < 1 || spec.MaxTasks > Options.MaxClaim)
        {
            return OperationError.Validation("maxTasks", $"must be between 1 and {Options.MaxClaim}");
        }

        return spec.WaitMs < 0 ? OperationError.Validation("waitMs", "must not be negative") : null;
    }

    private async Task<Outcome<AppliedTransition>> Apply(Task<Outcome<AppliedTransition>> pending, string? reason = null)
    {
        var outcome = await pending;
        if (outcome.IsSuccess)
        {
            Publish([outcome.Value], reason);
        }

        return outcome;
    }

    /// <summary>
    /// Wakes waiters and publishes one event per move (the bus numbers them); <paramref name="reason"/> travels with a
    /// cancellation. In a cluster the events come back through it, each task's in their order, and are published then.
    /// </summary>
    private void Publish(IReadOnlyList<AppliedTransition> moves, string? reason = null)
    {
        HashSet<WorkArrival>? arrivals = null;
        var publish = !_cluster.RoundTrip;
        foreach (var move in AppliedTransition.Flatten(moves))
        {
            var task = move.Task;
            if (task.State == TaskState.Queued)
            {
                (arrivals ??= []).Add(WorkArrival.Of(task));
            }

            Moved?.Invoke(move);
            Waiters.Notify(task);
            var type = TaskEventTypes.Of(move);
            _metrics?.Record(move, type);
            if (publish)
            {
                _events.Publish(type, task, reason);
            }

            if (task.State == TaskState.Failed)
            {
                LogTaskFailed(task.Id, task.Error?.Code, task.Attempt);
            }
        }

        PulseFor(WorkArrived, arrivals);
    }

    /// <summary>Wakes claimers once per kind of task that became claimable (once for all when there are many kinds).</summary>
    internal static void PulseFor(WorkSignal signal, HashSet<WorkArrival>? arrivals)
    {
        if (arrivals is null)
        {
            return;
        }

        if (arrivals.Count > WorkSignal.Remembered / 4)
        {
            signal.Pulse();
            return;
        }

        foreach (var arrival in arrivals)
        {
            signal.Pulse(arrival);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Task {TaskId} failed with {Code} after attempt {Attempt}")]
    private partial void LogTaskFailed(string taskId, string? code, int attempt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Task {TaskId}, claimed for a caller that went away before the answer, handed back")]
    private partial void LogClaimHandedBack(string taskId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Task {TaskId}, claimed for a caller that went away, could not be handed back ({Code}); its lease will run out")]
    private partial void LogHandBackRefused(string taskId, string code);
}
