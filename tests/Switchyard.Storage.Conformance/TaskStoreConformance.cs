using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>
/// The storage conformance suite, written once against <see cref="ITaskStore"/> and <see cref="ITaskQueries"/>
/// and run against every store: a store's fixture derives from this class and says how to open a fresh,
/// empty store. Each test gets its own store and its own fake clock. The tests are split by concern
/// over the partial files <c>TaskStoreConformance.*.cs</c>; this file holds the shared helpers.
/// </summary>
public abstract partial class TaskStoreConformance : IAsyncLifetime
{
    protected const long LeaseMs = 30_000;
    protected const long ResultTtlMs = 3_600_000;
    protected const string Worker = "worker-1";
    protected const string Submitter = "tester";

    /// <summary>
    /// Every await on a store is bounded by this, so a hung store fails the test instead of hanging the run. Generous:
    /// it detects hangs, it does not time anything (a 10,000-task batch on a loaded two-core machine took over 10 s).
    /// </summary>
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>A whole millisecond, as stores keep times to the millisecond.</summary>
    protected static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Fails at once, goes straight back to the queue: makes retry tests independent of backoff.</summary>
    protected static readonly RetrySpec NoBackoff = new(Core.Policies.BackoffKind.Fixed, 0, 0, 1, 0);

    protected static readonly TaskError RetryableError = new("flaky", "try again", ErrorKind.Retryable);

    protected static readonly TaskError FatalError = new("broken", "give up", ErrorKind.Fatal);

    private StoreUnderTest? _sut;

    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Where the store's claim path reports work its limits held back; a fixture hands it to the stores it opens.</summary>
    protected ClaimHolds Holds { get; } = new();

    protected StoreUnderTest Sut => _sut ?? throw new InvalidOperationException("The store is not open yet.");

    protected ITaskStore Store => Sut.Store;

    protected ITaskQueries Queries => Sut.Queries;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static EngineOptions Options { get; } = new();

    /// <summary>Opens a fresh, empty store whose clock is <paramref name="time"/>. Each call gets its own data.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync(FakeTimeProvider time, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a fresh store that no other session's transaction can hold back: for a test that needs what a store only
    /// does when nothing else is running beside it (vacuum reclaiming deleted rows). By default the same as
    /// <see cref="CreateStoreAsync"/>; a store whose data lives beside other tests' sessions overrides it.
    /// </summary>
    protected virtual Task<StoreUnderTest> CreateSecludedStoreAsync(FakeTimeProvider time, CancellationToken cancellationToken) =>
        CreateStoreAsync(time, cancellationToken);

    /// <summary>
    /// Returns once no transaction that began before the call is still running anywhere the store's vacuum looks, so
    /// rows deleted before the call can be reclaimed. By default nothing to wait for.
    /// </summary>
    protected virtual Task AwaitOlderTransactionsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask InitializeAsync() => _sut = await CreateStoreAsync(Time, Ct).WaitAsync(Bound, Ct);

    /// <summary>Closes the test's store and goes on with a fresh, secluded one (<see cref="CreateSecludedStoreAsync"/>).</summary>
    protected async Task SecludeAsync()
    {
        if (_sut is not null)
        {
            await _sut.DisposeAsync().AsTask().WaitAsync(Bound, Ct);
            _sut = null;
        }

        _sut = await CreateSecludedStoreAsync(Time, Ct).WaitAsync(Bound, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _events?.Dispose();
        if (_sut is not null)
        {
            await _sut.DisposeAsync().AsTask().WaitAsync(Bound, CancellationToken.None);
        }

        GC.SuppressFinalize(this);
    }

    protected static SubmitTask Spec(string id, string type = "test.echo") =>
        new() { Id = id, Type = type, Retry = NoBackoff };

    /// <summary>Builds the record to store the way the broker does, at the fake clock's now.</summary>
    protected TaskRecord Build(SubmitTask spec)
    {
        var built = NewTasks.Build(spec, Options, Time.GetUtcNow());
        Assert.True(built.IsSuccess, built.Error?.Message);
        return built.Value;
    }

    /// <summary>
    /// Stores the tasks as the broker does: built, linked into flows (parents wait for their children), all or none;
    /// <paramref name="maxQueueLengths"/> are the configured limits, final (over stored ones) when <paramref name="final"/>.
    /// </summary>
    protected Task<Outcome<EnqueueResult>> TryEnqueueAsync(
        IReadOnlyList<SubmitTask> specs, IReadOnlyDictionary<string, int>? maxQueueLengths = null, bool final = false)
    {
        var linked = Flows.Link(specs.Select(Build).ToArray(), string.Empty);
        Assert.True(linked.IsSuccess, linked.Error?.Message);
        return Bounded(Store.EnqueueAsync(
            new EnqueueRequest(linked.Value, maxQueueLengths ?? new Dictionary<string, int>(), Submitter)
            {
                ResultTtlMs = ResultTtlMs,
                StoredLengthsApply = !final,
            },
            Ct));
    }

    protected async Task<EnqueueResult> EnqueueAsync(params SubmitTask[] specs)
    {
        var outcome = await TryEnqueueAsync(specs);
        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        return outcome.Value;
    }

    protected async Task<TaskRecord> EnqueueOneAsync(SubmitTask spec) => Assert.Single((await EnqueueAsync(spec)).Tasks).Task;

    protected async Task<IReadOnlyList<TaskRecord>> ClaimAsync(
        int maxTasks = 1,
        string worker = Worker,
        IReadOnlyList<string>? queues = null,
        IReadOnlyList<string>? groups = null,
        IReadOnlyList<string>? types = null,
        long? leaseMs = LeaseMs)
    {
        var request = new ClaimRequest(worker, queues ?? [TaskDefaults.Queue], groups ?? [], types ?? [], maxTasks, leaseMs, LeaseMs);
        var result = await Bounded(Store.ClaimAsync(request, Ct));
        Assert.All(result.Claimed, move =>
        {
            Assert.Equal(TaskState.Queued, move.From);
            Assert.Equal(TaskTrigger.Claim, move.Trigger);
            Assert.Equal(TaskState.Running, move.Task.State);
        });
        return result.Claimed.Select(c => c.Task).ToArray();
    }

    protected async Task<TaskRecord> ClaimOneAsync(string worker = Worker, IReadOnlyList<string>? queues = null) =>
        Assert.Single(await ClaimAsync(1, worker, queues));

    protected Task<Outcome<Lease>> HeartbeatAsync(string taskId, long token, TaskProgress? progress = null, long? leaseMs = null) =>
        Bounded(Store.HeartbeatAsync(new HeartbeatRequest(taskId, token, leaseMs, LeaseMs, progress), Ct));

    protected Task<Outcome<AppliedTransition>> CompleteAsync(string taskId, long token, string resultJson = "{\"ok\":true}") =>
        Bounded(Store.CompleteAsync(new CompleteRequest(taskId, token, new JsonText(resultJson), ResultTtlMs, null), Ct));

    protected Task<Outcome<AppliedTransition>> CompleteAsync(TaskRecord claimed) => CompleteAsync(claimed.Id, claimed.Lease!.Token);

    protected Task<Outcome<AppliedTransition>> FailAsync(string taskId, long token, TaskError error, long? retryAfterMs = null) =>
        Bounded(Store.FailAsync(new FailRequest(taskId, token, error, retryAfterMs, 0.5, ResultTtlMs, null), Ct));

    protected Task<Outcome<AppliedTransition>> FailAsync(TaskRecord claimed, TaskError error, long? retryAfterMs = null) =>
        FailAsync(claimed.Id, claimed.Lease!.Token, error, retryAfterMs);

    protected Task<Outcome<AppliedTransition>> CancelAsync(string taskId, string? actor = Submitter, string? reason = null) =>
        Bounded(Store.CancelAsync(new CancelRequest(taskId, reason, ResultTtlMs, actor), Ct));

    protected Task<Outcome<AppliedTransition>> RetryAsync(string taskId, string? actor = Submitter, string? reason = null) =>
        Bounded(Store.RetryAsync(new RetryRequest(taskId, reason, actor), Ct));

    protected Task<Outcome<AppliedTransition>> AcceptAsync(string taskId, long? reviewToken = null, bool force = false) =>
        Bounded(Store.AcceptAsync(new ReviewRequest(taskId, reviewToken, force, null, ResultTtlMs, "reviewer"), Ct));

    protected Task<Outcome<AppliedTransition>> RejectAsync(string taskId, string feedback = "not yet", long? reviewToken = null, bool force = false) =>
        Bounded(Store.RejectAsync(new ReviewRequest(taskId, reviewToken, force, feedback, ResultTtlMs, "reviewer"), Ct));

    protected Task<IReadOnlyList<TaskRecord>> ClaimReviewAsync(
        string reviewer = "reviewer-1", int maxTasks = 1, IReadOnlyList<string>? types = null, long leaseMs = LeaseMs) =>
        Bounded(Store.ClaimReviewAsync(new ReviewClaimRequest(reviewer, [TaskDefaults.Queue], types ?? [], maxTasks, leaseMs), Ct));

    protected Task<IReadOnlyList<TaskRecord>?> RelatedAsync(string taskId, TaskRelation relation) =>
        Bounded(Queries.ListRelatedAsync(taskId, relation, Ct));

    /// <summary>Claims the one queued task and completes it; returns the completing move.</summary>
    protected async Task<AppliedTransition> RunToEndAsync(string expectedId)
    {
        var claimed = await ClaimOneAsync();
        Assert.Equal(expectedId, claimed.Id);
        var done = await CompleteAsync(claimed);
        Assert.True(done.IsSuccess, done.Error?.Message);
        return done.Value;
    }

    protected Task<IReadOnlyList<AppliedTransition>> ExpireLeasesAsync(int maxTasks = 1_000) =>
        Bounded(Store.ExpireLeasesAsync(new MaintenanceRequest(maxTasks, ResultTtlMs), Ct));

    protected Task<IReadOnlyList<AppliedTransition>> PromoteScheduledAsync(int maxTasks = 1_000) =>
        Bounded(Store.PromoteScheduledAsync(new MaintenanceRequest(maxTasks, ResultTtlMs), Ct));

    protected Task<IReadOnlyList<AppliedTransition>> FailOverdueAsync(int maxTasks = 1_000) =>
        Bounded(Store.FailOverdueAsync(new MaintenanceRequest(maxTasks, ResultTtlMs), Ct));

    protected async Task<int> PurgeExpiredAsync(int maxTasks = 1_000) => (await PurgeExpiredTasksAsync(maxTasks)).Count;

    protected Task<IReadOnlyList<TaskRecord>> PurgeExpiredTasksAsync(int maxTasks = 1_000) =>
        Bounded(Store.PurgeExpiredAsync(new MaintenanceRequest(maxTasks, ResultTtlMs), Ct));

    protected Task<TaskRecord?> GetAsync(string taskId) => Bounded(Queries.GetTaskAsync(taskId, Ct));

    protected async Task<TaskRecord> GetRequiredAsync(string taskId) =>
        await GetAsync(taskId) ?? throw new Xunit.Sdk.XunitException($"Task '{taskId}' is missing.");

    protected async Task<TaskState> StateOfAsync(string taskId) => (await GetRequiredAsync(taskId)).State;

    protected Task<IReadOnlyList<HistoryEntry>?> HistoryAsync(string taskId) => Bounded(Queries.ListHistoryAsync(taskId, Ct));

    protected async Task<QueueStats?> StatsOfAsync(string queue = TaskDefaults.Queue) =>
        (await Bounded(Queries.ListQueueStatsAsync(Ct))).SingleOrDefault(s => s.Queue == queue);

    protected async Task<long> CountAsync(TaskState state, string queue = TaskDefaults.Queue) =>
        (await StatsOfAsync(queue))?.Count(state) ?? 0;

    /// <summary>Every task the query matches, page after page.</summary>
    protected Task<IReadOnlyList<TaskRecord>> ListAllAsync(TaskQuery query) => ListAllAsync(Queries, query, Ct);

    protected static async Task<IReadOnlyList<TaskRecord>> ListAllAsync(ITaskQueries queries, TaskQuery query, CancellationToken cancellationToken)
    {
        var all = new List<TaskRecord>();
        var page = await queries.ListTasksAsync(query, cancellationToken).WaitAsync(Bound, cancellationToken);
        all.AddRange(page.Tasks);
        for (var pages = 1; page.NextCursor is { } cursor; pages++)
        {
            Assert.True(pages < 10_000, "paging does not end");
            page = await queries.ListTasksAsync(query with { Cursor = cursor }, cancellationToken).WaitAsync(Bound, cancellationToken);
            all.AddRange(page.Tasks);
        }

        return all;
    }

    protected async Task AssertHistoryLegalAsync(string taskId)
    {
        var task = await GetRequiredAsync(taskId);
        var history = await HistoryAsync(taskId);
        Assert.NotNull(history);
        HistoryRules.AssertLegal(task, history);
    }

    protected static void AssertRefused<T>(Outcome<T> outcome, string code)
    {
        Assert.False(outcome.IsSuccess, $"expected {code}, but the store accepted");
        Assert.Equal(code, outcome.Error.Code);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Error.Message));
    }

    protected static AppliedTransition AssertApplied(Outcome<AppliedTransition> outcome, TaskState from, TaskTrigger trigger, TaskState to)
    {
        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        Assert.Equal((from, trigger, to), (outcome.Value.From, outcome.Value.Trigger, outcome.Value.Task.State));
        return outcome.Value;
    }

    protected static Task<T> Bounded<T>(Task<T> task) => task.WaitAsync(Bound, Ct);

    protected static Task Bounded(Task task) => task.WaitAsync(Bound, Ct);
}
