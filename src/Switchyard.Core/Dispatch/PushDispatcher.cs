using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Dispatch;

/// <summary>
/// Pushes runnable tasks to connected workers the moment they exist. Each push is a claim in the
/// store (lease, fencing token), so a task is never on two workers. Workers with free credits take
/// turns; a worker that disconnects hands its tasks to their retry policy at once.
/// </summary>
public sealed partial class PushDispatcher : BackgroundService
{
    public static readonly TaskError Disconnected = new("worker_disconnected", "Worker disconnected", ErrorKind.Retryable);

    private readonly ConcurrentDictionary<string, WorkerSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkerSession> _holders = new(StringComparer.Ordinal);
    private readonly WorkSignal _wake = new();
    private readonly WorkSignal _changed = new();
    private readonly SemaphoreSlim _passing = new(1, 1);
    private readonly TaskBroker _broker;
    private readonly ILogger<PushDispatcher> _logger;
    private long _served;
    private long _workerSeq;

    public PushDispatcher(TaskBroker broker, IOptions<DispatchOptions> options, ILogger<PushDispatcher> logger)
    {
        var problems = options.Value.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(DispatchOptions.Section, typeof(DispatchOptions), problems);
        }

        _broker = broker;
        _logger = logger;
        Options = options.Value;
        _broker.Moved += OnMoved;
    }

    public DispatchOptions Options { get; }

    public IReadOnlyCollection<WorkerSession> Sessions => _sessions.Values.ToArray();

    public int Count => _sessions.Count;

    /// <summary>Completes at the next worker that connects, goes quiet or leaves (take it before looking at <see cref="Sessions"/>).</summary>
    public Task SessionsChanged => _changed.Next;

    public WorkerSession? Find(string workerId) => _sessions.GetValueOrDefault(workerId);

    /// <summary>A fresh worker id: <paramref name="prefix"/>-sequence-random.</summary>
    public string NewWorkerId(string prefix = "w") =>
        $"{prefix}{Interlocked.Increment(ref _workerSeq)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Adds a connected worker with <paramref name="capacity"/> credits; tasks start flowing to it at once.</summary>
    public WorkerSession Register(WorkerSpec spec, IWorkerLink link, int capacity)
    {
        var session = new WorkerSession(spec, link, Math.Clamp(capacity, 0, Options.MaxCapacity), _broker.Time.GetUtcNow(), _holders, _wake.Pulse, _changed.Pulse);
        if (!_sessions.TryAdd(spec.WorkerId, session))
        {
            throw new InvalidOperationException($"Worker id '{spec.WorkerId}' is already connected.");
        }

        LogConnected(spec.WorkerId, spec.Protocol, capacity);
        _wake.Pulse();
        _changed.Pulse();
        return session;
    }

    /// <summary>Removes a worker; every task it held is failed as retryable "Worker disconnected" (retried per its policy).</summary>
    public async Task UnregisterAsync(WorkerSession session, CancellationToken cancellationToken)
    {
        session.MarkClosed();
        _sessions.TryRemove(new KeyValuePair<string, WorkerSession>(session.Spec.WorkerId, session));
        _changed.Pulse();
        var held = session.DrainHeld();
        foreach (var (taskId, token) in held)
        {
            await FailDisconnectedAsync(taskId, token, session.Spec.WorkerId, cancellationToken);
        }

        LogDisconnected(session.Spec.WorkerId, held.Count);
    }

    /// <summary>
    /// Hands to their retry policy, as "Worker disconnected", tasks whose worker's connection is gone with nobody left to
    /// hand them back: those a reconnecting worker stopped when its last connection dropped (the server it was connected
    /// to may have died), or those a dead node's workers were running. <paramref name="actor"/> is who says so (the
    /// reconnected worker, or the node sweeper). The lease token is the proof: a task since handed back, expired or
    /// finished is left as it is.
    /// </summary>
    public async Task<int> HandBackAsync(IEnumerable<(string TaskId, long LeaseToken)> tasks, string actor, CancellationToken cancellationToken)
    {
        var handedBack = 0;
        foreach (var (taskId, token) in tasks)
        {
            if (_holders.ContainsKey(taskId))
            {
                // A live connection here holds it (a worker cannot abandon what another still runs): its own
                // disconnect, if it comes, hands it back.
                LogHandBackRefused(taskId, "held_by_a_connected_worker");
                continue;
            }

            if (await FailDisconnectedAsync(taskId, token, actor, cancellationToken))
            {
                handedBack++;
                LogHandedBack(taskId, actor);
            }
        }

        return handedBack;
    }

    /// <summary>
    /// Tells a worker connected here to go quiet or, with <paramref name="terminate"/>, also to finish within
    /// <paramref name="grace"/> and close; null when no such worker is connected here.
    /// </summary>
    public WorkerSession? Tell(string workerId, bool terminate, TimeSpan grace)
    {
        if (Find(workerId) is not { } session)
        {
            return null;
        }

        if (terminate)
        {
            session.Terminate(grace);
        }
        else
        {
            session.Quiet();
        }

        return session;
    }

    /// <summary>Tells every worker that no more work will come (shutdown).</summary>
    public void QuietAll()
    {
        foreach (var session in _sessions.Values)
        {
            session.Quiet();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var fallback = TimeSpan.FromMilliseconds(Options.FallbackPollMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            var arrived = _broker.WorkArrived.Next;
            var freed = _wake.Next;
            int pushed;
            try
            {
                pushed = await DispatchNowAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(ex);
                pushed = 0;
            }

            if (pushed > 0)
            {
                continue;
            }

            try
            {
                await Task.WhenAny(arrived, freed).WaitAsync(fallback, _broker.Time, stoppingToken);
            }
            catch (TimeoutException)
            {
                // Look again anyway: a wake-up can only be missed by a bug, never forever.
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One round robin over the workers with free credits, on the caller's flow; returns how many tasks were pushed.
    /// The background loop runs these on every wake-up; a surface may also run one right after a submit so an idle
    /// worker has the task before the caller is answered. Passes run one at a time: a pass never skips a worker
    /// because another pass holds its credits for a moment.
    /// </summary>
    public async Task<int> DispatchNowAsync(CancellationToken cancellationToken)
    {
        // No look at the credits before waiting: a running pass may hold them for a moment, and gives them back
        // without a wake-up.
        await _passing.WaitAsync(cancellationToken);
        try
        {
            return await PassAsync(cancellationToken);
        }
        finally
        {
            _passing.Release();
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _passing.Dispose();
    }

    private static bool Takes(WorkerSession session) => session.Credits > 0 && !session.IsQuiet && !session.IsClosed;

    private async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var sessions = _sessions.Values.Where(Takes).ToArray();
        if (sessions.Length == 0)
        {
            return 0;
        }

        // Workers take turns: the one served longest ago goes first (passes that push nothing change no one's turn).
        if (sessions.Length > 1)
        {
            Array.Sort(sessions, static (a, b) => a.LastServed.CompareTo(b.LastServed));
        }

        var empty = new HashSet<string>(StringComparer.Ordinal);
        var pushed = 0;
        foreach (var session in sessions)
        {
            if (empty.Contains(session.Spec.Signature) || session.IsQuiet || session.IsClosed)
            {
                continue; // nothing for its kind, or it went quiet or away since the pass began
            }

            var taken = session.TakeCredits(Options.MaxPerClaim);
            if (taken == 0)
            {
                continue;
            }

            Outcome<IReadOnlyList<TaskRecord>> claimed;
            try
            {
                claimed = await _broker.ClaimAsync(new ClaimSpec
                {
                    WorkerId = session.Spec.WorkerId,
                    Queues = session.Spec.Queues,
                    Groups = session.Spec.Groups,
                    Types = session.Spec.Types,
                    MaxTasks = taken,
                    LeaseMs = session.Spec.LeaseMs,
                }, cancellationToken);
            }
            catch
            {
                // The store failed (it may be restarting): the credits go back, or the worker would never get them again.
                // A claim that committed before the failure leaves its tasks leased to the worker unpushed; their leases
                // lapse and they run again.
                session.ReturnCredits(taken);
                throw;
            }

            var tasks = claimed.IsSuccess ? claimed.Value : [];
            session.ReturnCredits(taken - tasks.Count);
            if (tasks.Count == 0)
            {
                empty.Add(session.Spec.Signature);
                continue;
            }

            session.LastServed = ++_served;
            foreach (var task in tasks)
            {
                session.Track(task);
                if ((session.IsClosed || !session.Link.TryPush(task)) && session.Forget(task.Id, out var token))
                {
                    await FailDisconnectedAsync(task.Id, token, session.Spec.WorkerId, cancellationToken);
                }
            }

            pushed += tasks.Count;
        }

        return pushed;
    }

    private void OnMoved(AppliedTransition move)
    {
        if (move.From != TaskState.Running || !_holders.TryGetValue(move.Task.Id, out var session))
        {
            return;
        }

        var reason = move.Trigger switch
        {
            TaskTrigger.Cancel => "cancelled",
            TaskTrigger.LeaseExpired => "lease expired",
            TaskTrigger.Deadline => "timeout",
            _ => null,
        };
        var letGo = reason is not null && !session.Link.CanCancel
            ? session.Forget(move.Task.Id, out _) // the worker goes on with it: its credit stays taken
            : session.Release(move.Task.Id);
        if (letGo && reason is not null)
        {
            session.Link.Cancel(move.Task.Id, reason);
        }
    }

    private async Task<bool> FailDisconnectedAsync(string taskId, long token, string workerId, CancellationToken cancellationToken)
    {
        var outcome = await _broker.FailAsync(taskId, token, Disconnected, retryAfterMs: 0, workerId, cancellationToken);
        if (!outcome.IsSuccess)
        {
            LogHandBackRefused(taskId, outcome.Error.Code);
        }

        return outcome.IsSuccess;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Worker {WorkerId} connected ({Protocol}, {Capacity} credits on registering)")]
    private partial void LogConnected(string workerId, string protocol, int capacity);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Worker {WorkerId} disconnected; {Count} held tasks handed back")]
    private partial void LogDisconnected(string workerId, int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "A dispatch pass failed; retrying")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Task {TaskId}, whose worker's connection is gone, handed back to its retry policy (said by {Actor})")]
    private partial void LogHandedBack(string taskId, string actor);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Handing back task {TaskId} was refused: {Code}")]
    private partial void LogHandBackRefused(string taskId, string code);
}
