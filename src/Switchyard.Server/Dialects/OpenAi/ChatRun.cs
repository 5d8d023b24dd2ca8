using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>
/// One chat completion request as a task: checked, submitted under an id chosen here (so a stream can subscribe
/// to its progress first), then answered once it settles, or streamed as its progress arrives. A client that
/// goes away cancels its task.
/// </summary>
internal sealed partial class ChatRun(HttpContext http, TaskBroker broker, ProgressFeed feed, OpenAiOptions options, ILogger logger)
{
    /// <summary>How long past a task's deadline to wait for the deadline sweep to fail it.</summary>
    public static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(5);

    private static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string> { ["dialect"] = "openai" };

    private ChatRequest? _request;
    private long _timeoutMs;

    /// <summary>Reads and checks the request; the error to answer with when it is refused.</summary>
    public async Task<OpenAiError?> PrepareAsync(IEnumerable<ConnectedWorker> workers, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return OpenAiError.InvalidJson;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return OpenAiError.TooLarge(http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize);
        }

        if (!ChatRequest.TryParse(body, out var request, out var invalid))
        {
            return invalid;
        }

        var header = http.Request.Headers[OpenAiOptions.TimeoutHeader].ToString();
        _timeoutMs = options.TimeoutMs;
        if (header.Length > 0 && (!long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out _timeoutMs) || _timeoutMs < 1))
        {
            return OpenAiError.InvalidRequest($"{OpenAiOptions.TimeoutHeader} must be a positive whole number of milliseconds", null, "invalid_timeout");
        }

        if (!Names.IsValid(request.Model))
        {
            return OpenAiError.InvalidModel(request.Model);
        }

        if (options.RequireWorker && !ServedModels.Serves(workers, request.Model, options.Queue))
        {
            return OpenAiError.NoWorker(request.Model);
        }

        _request = request;
        return null;
    }

    /// <summary>Runs the prepared request: the answer to send, or null when it was streamed onto the response.</summary>
    public async Task<ContentHttpResult?> ExecuteAsync(CancellationToken cancellationToken)
    {
        var request = _request ?? throw new InvalidOperationException("PrepareAsync first.");
        var id = broker.NewTaskId();
        using var progress = request.Stream ? feed.Subscribe(id) : null;
        using var waiting = broker.Waiters.Register(id); // before the task exists: no result missed, no store read
        var submitted = await broker.SubmitAsync(new SubmitTask
        {
            Id = id,
            Type = OpenAiOptions.TaskType,
            Queue = options.Queue,
            Group = request.Model,
            Payload = request.Payload,
            MaxAttempts = options.MaxAttempts,
            TimeoutMs = _timeoutMs,
            Labels = Labels,
        }, http.Actor(), cancellationToken);
        if (!submitted.IsSuccess)
        {
            return OpenAiApi.Json(OpenAiError.From(submitted.Error));
        }

        var task = submitted.Value.Task;
        var who = ChatIdentity.Of(task, request.Model);
        try
        {
            Task<TaskRecord?> settling = broker.WaitAsync(waiting, task, WaitBound(task), cancellationToken)!;
            if (progress is null)
            {
                return await AnswerAsync(await settling, who);
            }

            await StreamAsync(new ChatStream(http.Response, who), progress.Reader, settling, request.IncludeUsage, cancellationToken);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await broker.CancelAsync(id, "the client went away", http.Actor(), CancellationToken.None);
            throw;
        }
    }

    private async Task<ContentHttpResult> AnswerAsync(TaskRecord? task, ChatIdentity who)
    {
        if (task is { State: TaskState.Completed } && ChatResult.From(task.Result) is { } result)
        {
            return TypedResults.Text(result.Completion is { } completion ? completion.GetRawText() : ChatShapes.Completion(who, result), OpenAiApi.JsonType);
        }

        return OpenAiApi.Json(await RefusalAsync(task));
    }

    private async Task StreamAsync(
        ChatStream stream, System.Threading.Channels.ChannelReader<TaskProgress> reader, Task<TaskRecord?> settling, bool includeUsage,
        CancellationToken cancellationToken)
    {
        var readable = true;
        while (!settling.IsCompleted)
        {
            if (!readable)
            {
                await settling;
                break;
            }

            var ready = reader.WaitToReadAsync(cancellationToken).AsTask();
            await Task.WhenAny(ready, settling);
            if (ready.IsFaulted || ready is { IsCompletedSuccessfully: true, Result: false })
            {
                readable = false;
                LogFellBehind(logger, ready.Exception?.InnerException?.Message ?? "the feed closed");
            }

            while (reader.TryRead(out var report))
            {
                await stream.ProgressAsync(report, cancellationToken);
            }
        }

        var task = await settling;
        while (reader.TryRead(out var report))
        {
            await stream.ProgressAsync(report, cancellationToken);
        }

        var result = task is { State: TaskState.Completed }
            ? ChatResult.From(task.Result) ?? (stream.Streamed > 0 ? new ChatResult(null, [], null) : null)
            : null;
        if (result is not null)
        {
            await stream.CompleteAsync(result, includeUsage, cancellationToken);
        }
        else
        {
            await stream.FailAsync(await RefusalAsync(task), cancellationToken);
        }
    }

    /// <summary>
    /// Why there is no answer. A task still unsettled is cancelled: past its deadline it is answered as a timeout;
    /// while the server stops (none of its workers holds it) as 503 <c>shutting_down</c>, for the client to send again.
    /// </summary>
    private async Task<OpenAiError> RefusalAsync(TaskRecord? task)
    {
        if (task is not null && !TaskWaiters.IsSettled(task.State))
        {
            var stopping = broker.Waiters.Stopping;
            await broker.CancelAsync(task.Id, stopping ? TaskWaiters.StoppingReason : "no answer by the deadline", http.Actor(), CancellationToken.None);
            return stopping ? OpenAiError.ShuttingDown : OpenAiError.Timeout;
        }

        if (task is { State: TaskState.Completed })
        {
            LogInvalidResult(logger, task.Id);
        }

        return OpenAiError.From(task);
    }

    private TimeSpan WaitBound(TaskRecord task)
    {
        var deadline = task.DeadlineAt ?? task.CreatedAt.AddMilliseconds(_timeoutMs);
        var left = deadline - broker.Time.GetUtcNow() + DeadlineSlack;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Chat task {TaskId} completed with a result that is neither a chat.completion nor {{\"content\": ...}}")]
    private static partial void LogInvalidResult(ILogger logger, string taskId);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "A streamed chat completion stopped reading progress: {Reason}")]
    private static partial void LogFellBehind(ILogger logger, string reason);
}
