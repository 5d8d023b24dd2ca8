using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Endpoints;

/// <summary><c>/api/v1/tasks</c>: submit, read, list, cancel, retry and history.</summary>
public static class TasksApi
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tasks").WithTags("Tasks");
        group.MapPost("/", Submit).WithName("SubmitTask");
        group.MapPost("/batch", SubmitBatch).WithName("SubmitTaskBatch");
        group.MapGet("/", TaskListing.List).WithName("ListTasks").WithMetadata(ChecksOwnQuery.Instance);
        group.MapGet("/{id}", Get).WithName("GetTask");
        group.MapGet("/{id}/history", History).WithName("GetTaskHistory");
        group.MapPost("/{id}/cancel", Cancel).WithName("CancelTask");
        group.MapPost("/{id}/retry", Retry).WithName("RetryTask");
        group.MapGet("/{id}/dependencies", Dependencies).WithName("ListTaskDependencies");
        group.MapGet("/{id}/dependents", Dependents).WithName("ListTaskDependents");
        app.MapGet("/api/v1/task-count", TaskListing.Count).WithTags("Tasks").WithName("CountTasks").WithMetadata(ChecksOwnQuery.Instance);
        return group;
    }

    public static async Task<Results<Ok<TaskDto>, Accepted<TaskDto>, JsonHttpResult<ProblemDto>>> Submit(
        SubmitTaskRequest body, [FromQuery] string? wait, TaskBroker broker, HttpContext http, CancellationToken cancellationToken)
    {
        var waitFor = RequestContext.ParseWait(wait);
        if (!waitFor.IsSuccess)
        {
            return Problems.Result(waitFor.Error);
        }

        var spec = body.ToSpec();
        if (!spec.IsSuccess)
        {
            return Problems.Result(spec.Error);
        }

        // A caller who waits registers for the task's id before the submit, so the wait needs no read of the store.
        var id = waitFor.Value is null ? spec.Value.Id : spec.Value.Id ?? broker.NewTaskId();
        using var waiting = waitFor.Value is null ? null : broker.Waiters.Register(id!);
        var submitted = await broker.SubmitAsync(spec.Value with { Id = id }, http.Actor(), cancellationToken);
        if (!submitted.IsSuccess)
        {
            return Problems.Result(submitted.Error);
        }

        if (!submitted.Value.Created)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }

        var task = submitted.Value.Task;
        if (waitFor.Value is { } timeout)
        {
            task = task.Id == id
                ? await broker.WaitAsync(waiting!, task, Bound(timeout, task, broker.Time), cancellationToken)
                : await broker.WaitAsync(task.Id, Bound(timeout, task, broker.Time), cancellationToken) ?? task; // a replay
        }

        return TaskWaiters.IsSettled(task.State) && waitFor.Value is not null
            ? TypedResults.Ok(task.ToDto())
            : TypedResults.Accepted($"/api/v1/tasks/{Uri.EscapeDataString(task.Id)}", task.ToDto());
    }

    public static async Task<Results<Accepted<SubmitBatchResponse>, JsonHttpResult<ProblemDto>>> SubmitBatch(
        SubmitBatchRequest body, TaskBroker broker, HttpContext http, CancellationToken cancellationToken)
    {
        if (body.Tasks is not { Count: > 0 } requests)
        {
            return Problems.Result(OperationError.Validation("tasks", "a batch needs at least one task"));
        }

        var specs = new SubmitTask[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var spec = requests[i].ToSpec($"tasks[{i}].");
            if (!spec.IsSuccess)
            {
                return Problems.Result(spec.Error);
            }

            specs[i] = spec.Value;
        }

        var submitted = await broker.SubmitBatchAsync(specs, http.Actor(), cancellationToken);
        if (!submitted.IsSuccess)
        {
            return Problems.Result(submitted.Error);
        }

        return TypedResults.Accepted((string?)null, new SubmitBatchResponse(
            submitted.Value.Select(t => new SubmittedTaskDto(t.Task.Id, t.Task.State.ToName(), t.Created)).ToArray()));
    }

    public static async Task<Results<Ok<TaskDto>, JsonHttpResult<ProblemDto>>> Get(
        string id, [FromQuery] string? wait, TaskBroker broker, CancellationToken cancellationToken)
    {
        var waitFor = RequestContext.ParseWait(wait);
        if (!waitFor.IsSuccess)
        {
            return Problems.Result(waitFor.Error);
        }

        var timeout = waitFor.Value is { } w && (w == Timeout.InfiniteTimeSpan || w > RequestContext.MaxPollWait) ? RequestContext.MaxPollWait : waitFor.Value;
        var task = timeout is { } t
            ? await broker.WaitAsync(id, t, cancellationToken)
            : await broker.GetAsync(id, cancellationToken);
        return task is null ? Problems.Result(OperationError.NotFound(id)) : TypedResults.Ok(task.ToDto());
    }

    public static async Task<Results<Ok<TaskHistoryResponse>, JsonHttpResult<ProblemDto>>> History(
        string id, TaskBroker broker, CancellationToken cancellationToken)
    {
        var entries = await broker.HistoryAsync(id, cancellationToken);
        return entries is null
            ? Problems.Result(OperationError.NotFound(id))
            : TypedResults.Ok(new TaskHistoryResponse(id, entries.Select(e => e.ToDto()).ToArray()));
    }

    public static async Task<Results<Ok<TaskDto>, JsonHttpResult<ProblemDto>>> Cancel(
        string id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ReasonRequest? body,
        TaskBroker broker, HttpContext http, CancellationToken cancellationToken) =>
        Moved(await broker.CancelAsync(id, body?.Reason, http.Actor(), cancellationToken));

    public static async Task<Results<Ok<TaskDto>, JsonHttpResult<ProblemDto>>> Retry(
        string id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ReasonRequest? body,
        TaskBroker broker, HttpContext http, CancellationToken cancellationToken) =>
        Moved(await broker.RetryAsync(id, body?.Reason, http.Actor(), cancellationToken));

    public static Task<Results<Ok<TaskListResponse>, JsonHttpResult<ProblemDto>>> Dependencies(
        string id, TaskBroker broker, CancellationToken cancellationToken) =>
        Related(id, TaskRelation.Dependencies, broker, cancellationToken);

    public static Task<Results<Ok<TaskListResponse>, JsonHttpResult<ProblemDto>>> Dependents(
        string id, TaskBroker broker, CancellationToken cancellationToken) =>
        Related(id, TaskRelation.Dependents, broker, cancellationToken);

    internal static Results<Ok<TaskDto>, JsonHttpResult<ProblemDto>> Moved(Outcome<Core.Storage.AppliedTransition> outcome) =>
        outcome.IsSuccess ? TypedResults.Ok(outcome.Value.Latest.ToDto()) : Problems.Result(outcome.Error);

    private static async Task<Results<Ok<TaskListResponse>, JsonHttpResult<ProblemDto>>> Related(
        string id, TaskRelation relation, TaskBroker broker, CancellationToken cancellationToken)
    {
        var related = await broker.RelatedAsync(id, relation, cancellationToken);
        return related is null
            ? Problems.Result(OperationError.NotFound(id))
            : TypedResults.Ok(new TaskListResponse(related.Select(t => t.ToDto()).ToArray(), null));
    }

    /// <summary>"Until settled" stops at the task's deadline when it has one.</summary>
    private static TimeSpan Bound(TimeSpan wait, TaskRecord task, TimeProvider time)
    {
        if (wait != Timeout.InfiniteTimeSpan || task.DeadlineAt is not { } deadline)
        {
            return wait;
        }

        var left = deadline - time.GetUtcNow() + TimeSpan.FromSeconds(1);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
