using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Client;

/// <summary>
/// The .NET client of the Switchyard REST API (<c>/api/v1</c>): submit and read tasks, pull work, read queues, manage schedules.
/// Every refusal throws <see cref="SwitchyardApiException"/>; a server that cannot be reached throws
/// <see cref="HttpRequestException"/>, one that does not answer in time <see cref="TimeoutException"/>.
/// </summary>
public sealed class SwitchyardClient : IDisposable
{
    /// <summary>Header the server sets when a submit matched an earlier task by its idempotency key.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>How long a call may take beyond the wait it asked for, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ApiTransport _api;

    /// <summary>A client of the server at <paramref name="baseAddress"/>, sending <paramref name="apiKey"/> as a bearer token when given.</summary>
    public SwitchyardClient(Uri baseAddress, string? apiKey = null, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{baseAddress}' is not an absolute address.", nameof(baseAddress));
        }

        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = WithTrailingSlash(baseAddress),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        _ownsHttp = true;
        _api = new ApiTransport(_http, requestTimeout ?? DefaultRequestTimeout);
    }

    /// <summary>
    /// A client over <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> names the server (ending in <c>/</c>
    /// when it has a path) and which carries any credentials itself. The caller keeps owning it.
    /// </summary>
    public SwitchyardClient(HttpClient http, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress naming the Switchyard server.", nameof(http));
        }

        _http = http;
        _api = new ApiTransport(http, requestTimeout ?? DefaultRequestTimeout);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>How long a waiting submit keeps trying to reach a server that went away (a restart) before it gives up.</summary>
    public static readonly TimeSpan DefaultReconnectFor = TimeSpan.FromSeconds(60);

    /// <summary>How long a waiting submit keeps trying to reach the server when it cannot (default <see cref="DefaultReconnectFor"/>).</summary>
    public TimeSpan ReconnectFor { get; init; } = DefaultReconnectFor;

    /// <summary>
    /// Told once at the start of each stretch in which a waiting submit or follow cannot reach the server and tries again:
    /// a sentence naming what went wrong, how long it keeps trying, and what stands of the task meanwhile.
    /// </summary>
    public Action<string>? Reconnecting { get; init; }

    /// <summary>
    /// Submits a task; with a <paramref name="wait"/>, answers once it settles or the wait ends, across a server restart:
    /// the request gets an id of the client's making when it has none (so a send whose connection dropped is sent again
    /// and stored once), a stopping server's early answer is followed by long polls, and a server that cannot be reached
    /// is tried again with backoff for up to <see cref="ReconnectFor"/> at a time.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(SubmitTaskRequest task, SubmitWait wait = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (wait.Duration is { } duration)
        {
            return await new SettleFollower(_api, ReconnectFor, Reconnecting).SubmitAsync(task, duration, cancellationToken);
        }

        var answer = await _api.PostAsync("api/v1/tasks", task, ClientJson.Context.SubmitTaskRequest, ClientJson.Context.TaskDto,
            TimeSpan.Zero, cancellationToken);
        return new SubmitResult(answer.Value, !IsReplay(answer.Headers));
    }

    /// <summary>
    /// Follows a task until it settles or <paramref name="wait"/> ends (<see cref="Timeout.InfiniteTimeSpan"/>: until it
    /// settles), with long polls, across a server restart as <see cref="SubmitAsync"/> does; the task as last seen.
    /// </summary>
    public Task<TaskDto> WaitSettledAsync(string id, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new SettleFollower(_api, ReconnectFor, Reconnecting).FollowAsync(id, null, wait, cancellationToken);
    }

    /// <summary>Submits several tasks, stored all or none; the answer lists them in request order.</summary>
    public async Task<IReadOnlyList<SubmittedTaskDto>> SubmitBatchAsync(IReadOnlyList<SubmitTaskRequest> tasks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var answer = await _api.PostAsync("api/v1/tasks/batch", new SubmitBatchRequest(tasks), ClientJson.Context.SubmitBatchRequest,
            ClientJson.Context.SubmitBatchResponse, TimeSpan.Zero, cancellationToken);
        return answer.Value.Tasks;
    }

    /// <summary>Reads a task; with a <paramref name="wait"/> (the server caps it at five minutes), answers once it settles or the wait ends.</summary>
    public async Task<TaskDto> GetAsync(string id, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var path = new QueryString(TaskPath(id)).Add("wait", wait is { } w ? Seconds(w) : null).ToString();
        return (await _api.GetAsync(path, ClientJson.Context.TaskDto, wait ?? TimeSpan.Zero, cancellationToken)).Value;
    }

    /// <summary>One page of tasks, newest first; pass its <c>NextCursor</c> as <see cref="TaskListQuery.Cursor"/> for the next.</summary>
    public async Task<TaskListResponse> ListAsync(TaskListQuery? query = null, CancellationToken cancellationToken = default)
    {
        var q = query ?? new TaskListQuery();
        var path = Filtered("api/v1/tasks", q)
            .Add("limit", q.Limit?.ToString(CultureInfo.InvariantCulture))
            .Add("cursor", q.Cursor);
        return (await _api.GetAsync(path.ToString(), ClientJson.Context.TaskListResponse, TimeSpan.Zero, cancellationToken)).Value;
    }

    /// <summary>
    /// How many tasks match the filters of <paramref name="query"/> (its limit and cursor are not used), counting no
    /// further than <paramref name="upTo"/> when given.
    /// </summary>
    public async Task<long> CountAsync(TaskListQuery? query = null, long? upTo = null, CancellationToken cancellationToken = default)
    {
        var path = Filtered("api/v1/task-count", query ?? new TaskListQuery())
            .Add("limit", upTo?.ToString(CultureInfo.InvariantCulture));
        return (await _api.GetAsync(path.ToString(), ClientJson.Context.TaskCountResponse, TimeSpan.Zero, cancellationToken)).Value.Count;
    }

    /// <summary>Every task matching <paramref name="query"/>, page after page.</summary>
    public async IAsyncEnumerable<TaskDto> ListAllAsync(TaskListQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = query ?? new TaskListQuery();
        while (true)
        {
            var page = await ListAsync(next, cancellationToken);
            foreach (var task in page.Tasks)
            {
                yield return task;
            }

            if (string.IsNullOrEmpty(page.NextCursor) || page.Tasks.Count == 0)
            {
                yield break;
            }

            next = next with { Cursor = page.NextCursor };
        }
    }

    /// <summary>The task's applied moves, oldest first.</summary>
    public async Task<IReadOnlyList<HistoryEntryDto>> HistoryAsync(string id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync(TaskPath(id) + "/history", ClientJson.Context.TaskHistoryResponse, TimeSpan.Zero, cancellationToken)).Value.Entries;

    /// <summary>Cancels the task; a running task's worker is told to stop at its next heartbeat.</summary>
    public Task<TaskDto> CancelAsync(string id, string? reason = null, CancellationToken cancellationToken = default) =>
        PostTaskAsync(TaskPath(id) + "/cancel", new ReasonRequest(reason), ClientJson.Context.ReasonRequest, cancellationToken);

    /// <summary>Queues a failed or cancelled task again.</summary>
    public Task<TaskDto> RetryAsync(string id, string? reason = null, CancellationToken cancellationToken = default) =>
        PostTaskAsync(TaskPath(id) + "/retry", new ReasonRequest(reason), ClientJson.Context.ReasonRequest, cancellationToken);

    /// <summary>Accepts a task in review: it completes and its dependents may run.</summary>
    public Task<TaskDto> AcceptAsync(string id, long? reviewLeaseToken = null, bool force = false, CancellationToken cancellationToken = default) =>
        PostTaskAsync(TaskPath(id) + "/accept", new ReviewDecisionRequest(null, reviewLeaseToken, force ? true : null),
            ClientJson.Context.ReviewDecisionRequest, cancellationToken);

    /// <summary>Rejects a task in review: it runs again with <paramref name="feedback"/>, or fails escalated at its rejection limit.</summary>
    public Task<TaskDto> RejectAsync(
        string id, string feedback, long? reviewLeaseToken = null, bool force = false, CancellationToken cancellationToken = default) =>
        PostTaskAsync(TaskPath(id) + "/reject", new ReviewDecisionRequest(feedback, reviewLeaseToken, force ? true : null),
            ClientJson.Context.ReviewDecisionRequest, cancellationToken);

    /// <summary>Leases unclaimed tasks in review to a reviewer; each carries its <c>ReviewLease.Token</c>.</summary>
    public async Task<IReadOnlyList<TaskDto>> ClaimReviewsAsync(ReviewClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await _api.PostAsync("api/v1/reviews/claim", request, ClientJson.Context.ReviewClaimRequest,
            ClientJson.Context.ClaimTasksResponse, TimeSpan.Zero, cancellationToken);
        return answer.Value.Tasks;
    }

    /// <summary>The tasks <paramref name="id"/> depends on, with their results (a parent reads its children's results here).</summary>
    public async Task<IReadOnlyList<TaskDto>> DependenciesAsync(string id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync(TaskPath(id) + "/dependencies", ClientJson.Context.TaskListResponse, TimeSpan.Zero, cancellationToken)).Value.Tasks;

    /// <summary>Leases up to <c>MaxTasks</c> tasks, waiting up to <c>WaitMs</c> for work; each carries its <c>Lease.Token</c>.</summary>
    public async Task<IReadOnlyList<TaskDto>> ClaimAsync(ClaimTasksRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, request.WaitMs ?? 0));
        var answer = await _api.PostAsync("api/v1/claims", request, ClientJson.Context.ClaimTasksRequest,
            ClientJson.Context.ClaimTasksResponse, wait, cancellationToken);
        return answer.Value.Tasks;
    }

    /// <summary>Extends the lease (to <paramref name="leaseMs"/>, else the task's default) and records progress.</summary>
    public async Task<LeaseDto> HeartbeatAsync(
        string id, long leaseToken, ProgressDto? progress = null, long? leaseMs = null, CancellationToken cancellationToken = default)
    {
        var answer = await _api.PostAsync(TaskPath(id) + "/heartbeat", new HeartbeatRequest(leaseToken, leaseMs, progress),
            ClientJson.Context.HeartbeatRequest, ClientJson.Context.HeartbeatResponse, TimeSpan.Zero, cancellationToken);
        return answer.Value.Lease;
    }

    /// <summary>Completes a leased task with its result (JSON <c>null</c> when none).</summary>
    public Task<TaskDto> CompleteAsync(string id, long leaseToken, JsonText? result = null, CancellationToken cancellationToken = default) =>
        PostTaskAsync(TaskPath(id) + "/complete", new CompleteRequest(leaseToken, result), ClientJson.Context.CompleteRequest, cancellationToken);

    /// <summary>Fails a leased task; a retryable error with attempts left queues it again, after <paramref name="retryAfterMs"/> when given.</summary>
    public Task<TaskDto> FailAsync(
        string id, long leaseToken, TaskErrorDto error, long? retryAfterMs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostTaskAsync(TaskPath(id) + "/fail", new FailRequest(leaseToken, error, retryAfterMs), ClientJson.Context.FailRequest, cancellationToken);
    }

    /// <summary>Every queue that holds tasks, with its counts per state.</summary>
    public async Task<IReadOnlyList<QueueDto>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/queues", ClientJson.Context.QueueListResponse, TimeSpan.Zero, cancellationToken)).Value.Queues;

    /// <summary>One queue's counts per state (zeros for a queue that holds nothing) and its settings.</summary>
    public async Task<QueueDto> GetQueueAsync(string name, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync(QueuePath(name), ClientJson.Context.QueueDto, TimeSpan.Zero, cancellationToken)).Value;

    /// <summary>Applies a JSON merge patch of settings to a queue (<c>{"maxRunning": 4, "rate": null}</c>: left out stays, null clears).</summary>
    public async Task<QueueDto> UpdateQueueAsync(string name, JsonText mergePatch, CancellationToken cancellationToken = default) =>
        (await _api.PatchAsync(QueuePath(name), mergePatch.Raw ?? "null", ClientJson.Context.QueueDto, cancellationToken)).Value;

    /// <summary>Pauses a queue: nothing more is claimed or pushed from it; submits are still accepted.</summary>
    public Task<QueueDto> PauseQueueAsync(string name, CancellationToken cancellationToken = default) =>
        PostQueueAsync(QueuePath(name) + "/pause", cancellationToken);

    public Task<QueueDto> ResumeQueueAsync(string name, CancellationToken cancellationToken = default) =>
        PostQueueAsync(QueuePath(name) + "/resume", cancellationToken);

    /// <summary>
    /// The push workers connected to the server, oldest first; on PostgreSQL every node's, each with its node (see
    /// <see cref="WorkerDto"/>).
    /// </summary>
    public async Task<IReadOnlyList<WorkerDto>> ListWorkersAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/workers", ClientJson.Context.WorkerListResponse, TimeSpan.Zero, cancellationToken)).Value.Workers;

    /// <summary>Stops pushing work to a worker (it finishes what it holds); a worker of another node is told through its node.</summary>
    public async Task<WorkerDto> QuietWorkerAsync(string id, CancellationToken cancellationToken = default) =>
        (await _api.PostAsync(WorkerPath(id) + "/quiet", ClientJson.Context.WorkerDto, cancellationToken)).Value;

    /// <summary>Tells a worker to finish within <paramref name="grace"/> (30 s when null) and close.</summary>
    public async Task<WorkerDto> TerminateWorkerAsync(string id, TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        var path = WorkerPath(id) + "/terminate" + (grace is { } g
            ? "?graceMs=" + ((long)g.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.Empty);
        return (await _api.PostAsync(path, ClientJson.Context.WorkerDto, cancellationToken)).Value;
    }

    /// <summary>Every registered task type, by name.</summary>
    public async Task<IReadOnlyList<TaskTypeDto>> ListTaskTypesAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/task-types", ClientJson.Context.TaskTypeListResponse, TimeSpan.Zero, cancellationToken)).Value.Types;

    public async Task<TaskTypeDto> GetTaskTypeAsync(string type, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync(TaskTypePath(type), ClientJson.Context.TaskTypeDto, TimeSpan.Zero, cancellationToken)).Value;

    /// <summary>Creates or replaces the task type <c>definition.Type</c>; answers with it as stored.</summary>
    public async Task<TaskTypeDto> PutTaskTypeAsync(TaskTypeDto definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var type = definition.Type ?? throw new ArgumentException("The definition needs a type.", nameof(definition));
        return (await _api.PutAsync(TaskTypePath(type), definition, ClientJson.Context.TaskTypeDto, ClientJson.Context.TaskTypeDto,
            cancellationToken)).Value;
    }

    /// <summary>Removes a task type (its tasks are not touched); a type that is not registered throws <c>not_found</c>.</summary>
    public Task DeleteTaskTypeAsync(string type, CancellationToken cancellationToken = default) =>
        _api.DeleteAsync(TaskTypePath(type), cancellationToken);

    /// <summary>
    /// Streams events as the server publishes them (<c>GET /api/v1/events</c>), from now on or, with
    /// <paramref name="lastEventId"/>, from the event after it. The first frame is <c>stream.open</c>; <c>stream.*</c>
    /// frames are notices (see <see cref="EventDto"/>). Ends when the server ends the stream; reconnect with the last seq seen.
    /// </summary>
    public IAsyncEnumerable<EventDto> WatchEventsAsync(EventStreamFilter? filter = null, long? lastEventId = null, CancellationToken cancellationToken = default) =>
        EventStreamReader.ReadAsync(_http, _api.RequestTimeout, filter, lastEventId, cancellationToken);

    /// <summary>The event bus's numbers: ring, events published per type, subscribers and their lag, delivery latency.</summary>
    public async Task<EventStatsDto> GetEventStatsAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/events/stats", ClientJson.Context.EventStatsDto, TimeSpan.Zero, cancellationToken)).Value;

    /// <summary>A page of schedules by id; pass its <c>NextCursor</c> as <paramref name="cursor"/> for the next.</summary>
    public async Task<ScheduleListResponse> ListSchedulesAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var path = new QueryString("api/v1/schedules")
            .Add("limit", limit?.ToString(CultureInfo.InvariantCulture))
            .Add("cursor", cursor);
        return (await _api.GetAsync(path.ToString(), ClientJson.Context.ScheduleListResponse, TimeSpan.Zero, cancellationToken)).Value;
    }

    public async Task<ScheduleDto> GetScheduleAsync(string id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync(SchedulePath(id), ClientJson.Context.ScheduleDto, TimeSpan.Zero, cancellationToken)).Value;

    /// <summary>Creates the schedule <paramref name="id"/> or replaces its definition (keeping its next run when the timing is unchanged).</summary>
    public async Task<ScheduleDto> PutScheduleAsync(string id, PutScheduleRequest schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return (await _api.PutAsync(SchedulePath(id), schedule, ClientJson.Context.PutScheduleRequest, ClientJson.Context.ScheduleDto,
            cancellationToken)).Value;
    }

    /// <summary>Removes the schedule; tasks it submitted stay.</summary>
    public Task DeleteScheduleAsync(string id, CancellationToken cancellationToken = default) => _api.DeleteAsync(SchedulePath(id), cancellationToken);

    /// <summary>Stops the schedule's timed runs until it is resumed.</summary>
    public Task<ScheduleDto> PauseScheduleAsync(string id, CancellationToken cancellationToken = default) =>
        PostScheduleAsync(SchedulePath(id) + "/pause", cancellationToken);

    /// <summary>Runs the schedule again from its next run after now.</summary>
    public Task<ScheduleDto> ResumeScheduleAsync(string id, CancellationToken cancellationToken = default) =>
        PostScheduleAsync(SchedulePath(id) + "/resume", cancellationToken);

    /// <summary>Submits one run of the schedule now; returns the task.</summary>
    public Task<TaskDto> TriggerScheduleAsync(string id, CancellationToken cancellationToken = default) =>
        PostTaskAsync(SchedulePath(id) + "/trigger", new ReasonRequest(null), ClientJson.Context.ReasonRequest, cancellationToken);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<TaskDto> PostTaskAsync<TBody>(
        string path, TBody body, JsonTypeInfo<TBody> request, CancellationToken cancellationToken) =>
        (await _api.PostAsync(path, body, request, ClientJson.Context.TaskDto, TimeSpan.Zero, cancellationToken)).Value;

    private async Task<QueueDto> PostQueueAsync(string path, CancellationToken cancellationToken) =>
        (await _api.PostAsync(path, new ReasonRequest(null), ClientJson.Context.ReasonRequest, ClientJson.Context.QueueDto, TimeSpan.Zero,
            cancellationToken)).Value;

    private static string WorkerPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "api/v1/workers/" + Uri.EscapeDataString(id);
    }

    private static string QueuePath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "api/v1/queues/" + Uri.EscapeDataString(name);
    }

    private static string TaskTypePath(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        return "api/v1/task-types/" + Uri.EscapeDataString(type);
    }

    private async Task<ScheduleDto> PostScheduleAsync(string path, CancellationToken cancellationToken) =>
        (await _api.PostAsync(path, new ReasonRequest(null), ClientJson.Context.ReasonRequest, ClientJson.Context.ScheduleDto, TimeSpan.Zero,
            cancellationToken)).Value;

    private static string SchedulePath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "api/v1/schedules/" + Uri.EscapeDataString(id);
    }

    private static QueryString Filtered(string route, TaskListQuery q)
    {
        var path = new QueryString(route)
            .Add("state", q.States is { Count: > 0 } states ? string.Join(',', states) : null)
            .Add("queue", q.Queue)
            .Add("type", q.Type)
            .Add("group", q.Group)
            .Add("scope", q.Scope)
            .Add("correlationId", q.CorrelationId)
            .Add("worker", q.Worker);
        foreach (var (key, value) in q.Labels ?? new Dictionary<string, string>())
        {
            path.Add("label", $"{key}:{value}");
        }

        return path;
    }

    /// <summary>Whether a submit's answer says it matched an earlier task by its idempotency key.</summary>
    internal static bool IsReplay(HttpResponseHeaders headers) =>
        headers.TryGetValues(ReplayedHeader, out var values) && values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));

    internal static string TaskPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "api/v1/tasks/" + Uri.EscapeDataString(id);
    }

    internal static string Seconds(TimeSpan wait) =>
        wait == Timeout.InfiniteTimeSpan ? "true" : Math.Max(0, wait.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture);

    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new Uri(address.GetLeftPart(UriPartial.Path) + "/" + address.Query);
}
