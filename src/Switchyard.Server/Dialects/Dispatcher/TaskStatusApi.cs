using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary><c>GET /api/task/{taskId}</c>: where an <c>llm.chat</c> task stands, in the dialect's four statuses.</summary>
internal static class TaskStatusApi
{
    public const string IdRequired = "Task ID is required";
    public const string NotFound = "Task not found or expired";

    /// <summary>
    /// The task's status; 404 for an unknown id, a task of another type, or a result older than <c>TASK_RESULT_TTL_MS</c>
    /// (a dialect task's result expires then anyway; another source's task may be kept longer, but not answered here).
    /// </summary>
    public static async Task<Utf8ContentHttpResult> Get(
        string? taskId, TaskBroker broker, IOptions<DispatcherOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(taskId))
        {
            return DispatcherDialect.Json(StatusCodes.Status400BadRequest, DispatcherJson.Error(IdRequired));
        }

        var task = await broker.GetAsync(taskId, cancellationToken);
        long? position = null;
        if (task is { State: TaskState.Queued or TaskState.Scheduled or TaskState.Blocked })
        {
            position = await broker.QueuePositionAsync(taskId, cancellationToken);
            if (position is null)
            {
                task = await broker.GetAsync(taskId, cancellationToken); // it left the queue between the two reads
            }
        }

        var expired = task?.FinishedAt is { } finished && finished.AddMilliseconds(options.Value.TaskResultTtlMs) <= broker.Time.GetUtcNow();
        return task is null || task.Type != DispatcherDialect.TaskType || expired
            ? DispatcherDialect.Json(StatusCodes.Status404NotFound, DispatcherJson.Error(NotFound))
            : DispatcherDialect.Json(StatusCodes.Status200OK, DispatcherJson.Status(task, position));
    }
}
