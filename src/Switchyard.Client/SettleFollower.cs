using System.Diagnostics;
using System.Net;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Client;

/// <summary>
/// A submit that waits, carried over a server restart. The request gets an id of the client's making (when it has
/// none), so a submit whose connection dropped before the answer can be sent again: the server stores it once
/// (a second send of a stored id is refused as <c>duplicate_id</c>, and then the stored task is followed). A stopping
/// server answers a waiting submit at once with the unsettled task; the follower then long-polls the task
/// (<c>GET /api/v1/tasks/{id}?wait=</c>) until it settles or the caller's wait ends. While the server cannot be
/// reached (connection refused or dropped, 502–504) it tries again with backoff, for at most
/// <paramref name="reconnectFor"/> in a row, telling <paramref name="reconnecting"/> (when given) as each such stretch begins.
/// </summary>
internal sealed class SettleFollower(ApiTransport api, TimeSpan reconnectFor, Action<string>? reconnecting = null)
{
    /// <summary>The server answers a long poll after at most five minutes; ask for no more.</summary>
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _downSince;
    private TimeSpan _pause = FirstPause;

    public async Task<SubmitResult> SubmitAsync(SubmitTaskRequest task, TimeSpan wait, CancellationToken cancellationToken)
    {
        var (id, answered, created) = await SendAsync(task, wait, cancellationToken);
        return new SubmitResult(await FollowAsync(id, answered, wait, cancellationToken), created);
    }

    /// <summary>Sends the submit until the server answers it: the task's id, the task as answered (null when an earlier send stored it), whether this call created it.</summary>
    private async Task<(string Id, TaskDto? Answered, bool Created)> SendAsync(SubmitTaskRequest task, TimeSpan wait, CancellationToken cancellationToken)
    {
        var request = task.Id is null ? task with { Id = Guid.CreateVersion7().ToString() } : task;
        var sentBefore = false;
        while (true)
        {
            try
            {
                var left = Left(wait);
                var path = new QueryString("api/v1/tasks").Add("wait", SwitchyardClient.Seconds(left)).ToString();
                var answer = await api.PostAsync(path, request, ClientJson.Context.SubmitTaskRequest, ClientJson.Context.TaskDto,
                    left, cancellationToken);
                Reached();
                return (answer.Value.Id, answer.Value, !SwitchyardClient.IsReplay(answer.Headers));
            }
            catch (SwitchyardApiException ex) when (sentBefore && ex.Code == "duplicate_id")
            {
                // An earlier send was stored before its connection dropped: that task is this one.
                Reached();
                return (request.Id!, null, true);
            }
            catch (Exception ex) when (IsOutage(ex))
            {
                await PauseAsync(ex, $"task {request.Id} may have been stored", cancellationToken);
                sentBefore = true;
            }
        }
    }

    /// <summary>The task once it settles, or as last seen when <paramref name="wait"/> has passed.</summary>
    public async Task<TaskDto> FollowAsync(string id, TaskDto? seen, TimeSpan wait, CancellationToken cancellationToken)
    {
        while (seen is null || !IsSettled(seen))
        {
            var left = Left(wait);
            if (seen is not null && left == TimeSpan.Zero)
            {
                return seen;
            }

            var poll = left == Timeout.InfiniteTimeSpan || left > LongestPoll ? LongestPoll : left;
            try
            {
                var path = new QueryString(SwitchyardClient.TaskPath(id)).Add("wait", SwitchyardClient.Seconds(poll)).ToString();
                seen = (await api.GetAsync(path, ClientJson.Context.TaskDto, poll, cancellationToken)).Value;
                Reached();
            }
            catch (Exception ex) when (IsOutage(ex))
            {
                await PauseAsync(ex, $"task {id} is stored; follow it with GET /api/v1/tasks/{id}?wait=", cancellationToken);
            }
        }

        return seen;
    }

    /// <summary>Completed, failed, cancelled, or held for review: what a wait waits for (the server's rule).</summary>
    private static bool IsSettled(TaskDto task) => TaskStates.TryParse(task.State, out var state) && TaskWaiters.IsSettled(state);

    private static bool IsOutage(Exception ex) => ex switch
    {
        HttpRequestException => true,
        SwitchyardApiException api => api.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
        _ => false,
    };

    private TimeSpan Left(TimeSpan wait) =>
        wait == Timeout.InfiniteTimeSpan ? wait : wait - _clock.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private void Reached()
    {
        _downSince = null;
        _pause = FirstPause;
    }

    /// <summary>What kept the server out of reach, for the <c>reconnecting</c> notice.</summary>
    private static string Reason(Exception outage) => outage switch
    {
        SwitchyardApiException api => $"the server answered {(int)api.StatusCode} {api.Code}",
        _ => $"cannot reach the server: {outage.Message}",
    };

    /// <summary>Waits before the next try, or gives up (the outage's own exception, naming the task) once it lasted too long.</summary>
    private async Task PauseAsync(Exception outage, string whatStands, CancellationToken cancellationToken)
    {
        if (_downSince is null)
        {
            _downSince = _clock.Elapsed;
            reconnecting?.Invoke($"{Reason(outage)}; trying again for up to {reconnectFor.TotalSeconds:0.#} s ({whatStands})");
        }

        if (_clock.Elapsed - _downSince.Value >= reconnectFor)
        {
            throw outage switch
            {
                SwitchyardApiException api => new SwitchyardApiException(api.StatusCode, api.Code, $"{api.Detail} ({whatStands})", api.Errors),
                _ => new HttpRequestException($"{outage.Message} (tried again for {reconnectFor.TotalSeconds:0.#} s; {whatStands})", outage),
            };
        }

        await Task.Delay(_pause, cancellationToken);
        _pause = _pause * 2 > LongestPause ? LongestPause : _pause * 2;
    }
}
