using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// <c>POST /api/openai</c>: one <c>llm.chat</c> task per request, handed at once to an idle worker or queued; the caller
/// waits for the result (sync, the default) or gets the task id back at once (<c>async: true</c>).
/// </summary>
internal static class SubmitApi
{
    public const string NoWorker = "No worker available";
    public const string QueueFull = "Queue is full";
    public const string Gone = "Task not found or expired";
    public const string ShuttingDown = "Server is shutting down";

    /// <summary>How long past its deadline a sync caller waits for the deadline enforcer to fail the task.</summary>
    public static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(5);

    public static async Task<Utf8ContentHttpResult> Submit(
        HttpContext http, TaskBroker broker, PushDispatcher dispatcher, IWorkerDirectory workers, IOptions<DispatcherOptions> options,
        CancellationToken cancellationToken)
    {
        var request = await DispatcherRequest.ReadAsync(http.Request, cancellationToken);
        if (!request.IsSuccess)
        {
            return DispatcherDialect.Json(StatusCodes.Status400BadRequest, DispatcherJson.Error(request.Error.Message));
        }

        if (!workers.AnyConnected) // on any node: a task submitted here reaches a worker connected to another
        {
            return DispatcherDialect.Json(StatusCodes.Status503ServiceUnavailable, DispatcherJson.Error(NoWorker));
        }

        var settings = options.Value;
        var id = Guid.NewGuid().ToString();
        using var waiting = request.Value.Async ? null : broker.Waiters.Register(id); // before the task exists: no result missed
        var submitted = await broker.SubmitAsync(
            new SubmitTask
            {
                Id = id,
                Type = DispatcherDialect.TaskType,
                Queue = TaskDefaults.Queue,
                Group = request.Value.Group,
                Payload = request.Value.Payload,
                MaxAttempts = 1,
                TimeoutMs = request.Value.TimeoutMs,
                Timeouts = settings.Timeouts,
                ResultTtlMs = settings.TaskResultTtlMs,
            },
            http.Actor(),
            settings.MaxQueueLength,
            cancellationToken);
        if (!submitted.IsSuccess)
        {
            return Refused(submitted.Error);
        }

        var task = submitted.Value.Task;

        // Not the caller's token: a claim cut short because the caller left would lease the task to nobody.
        await dispatcher.DispatchNowAsync(CancellationToken.None);
        if (request.Value.Async)
        {
            var now = await broker.GetAsync(task.Id, cancellationToken);
            var status = now?.State is TaskState.Queued ? TaskStatuses.Queued : TaskStatuses.Executing;
            return DispatcherDialect.Json(StatusCodes.Status200OK, DispatcherJson.Submitted(task.Id, status));
        }

        var settled = await broker.WaitAsync(waiting!, task, WaitBound(task, broker.Time), cancellationToken);
        if (!TaskWaiters.IsSettled(settled.State) && broker.Waiters.Stopping)
        {
            // None of this server's workers holds it and none here will take it; a sync caller has no id to ask for it later.
            await broker.CancelAsync(task.Id, TaskWaiters.StoppingReason, http.Actor(), CancellationToken.None);
            return DispatcherDialect.Json(StatusCodes.Status503ServiceUnavailable, DispatcherJson.Error(ShuttingDown));
        }

        var (code, body) = Answer(task.Id, settled);
        return DispatcherDialect.Json(code, body);
    }

    /// <summary>The sync answer for the task as it settled (or as it is once its deadline and the slack have passed).</summary>
    public static (int StatusCode, byte[] Body) Answer(string taskId, TaskRecord? task) => task?.State switch
    {
        TaskState.Completed => (StatusCodes.Status200OK, DispatcherJson.Completed(taskId, task.Result)),
        TaskState.Failed or TaskState.Cancelled => (StatusCodes.Status500InternalServerError, DispatcherJson.Error(TaskStatuses.ErrorOf(task))),
        null => (StatusCodes.Status500InternalServerError, DispatcherJson.Error(Gone)),
        _ => (StatusCodes.Status500InternalServerError, DispatcherJson.Error(TaskError.Timeout.Message)),
    };

    private static Utf8ContentHttpResult Refused(OperationError error) => error.Code switch
    {
        ErrorCodes.QueueFull => DispatcherDialect.Json(StatusCodes.Status503ServiceUnavailable, DispatcherJson.Error(QueueFull)),
        _ => DispatcherDialect.Json(Problems.StatusOf(error.Code), DispatcherJson.Error(error.Message)),
    };

    private static TimeSpan WaitBound(TaskRecord task, TimeProvider time)
    {
        if (task.DeadlineAt is not { } deadline)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var left = deadline - time.GetUtcNow() + DeadlineSlack;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
