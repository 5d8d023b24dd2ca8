using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary><c>GET /api/task/{taskId}</c>: where an <c>llm.chat</c> task stands, in the dialect's four statuses.</summary>
internal static class TaskStatusApi
{
    public const string IdRequired = "Task ID is required";
    public const string NotFound = "Task not found or expired";

    public static async Task<Utf8ContentHttpResult> Get(string? taskId, TaskBroker broker, CancellationToken cancellationToken)
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

        return task is null || task.Type != DispatcherDialect.TaskType
            ? DispatcherDialect.Json(StatusCodes.Status404NotFound, DispatcherJson.Error(NotFound))
            : DispatcherDialect.Json(StatusCodes.Status200OK, DispatcherJson.Status(task, position));
    }
}
