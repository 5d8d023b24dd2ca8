using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Server.Endpoints;

/// <summary>Pull workers: claim tasks, heartbeat their leases, complete or fail them. Every call after the claim carries the lease token.</summary>
public static class WorkApi
{
    public static IEndpointRouteBuilder MapWorkApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/claims", Claim).WithTags("Work").WithName("ClaimTasks");
        var tasks = app.MapGroup("/api/v1/tasks/{id}").WithTags("Work");
        tasks.MapPost("/heartbeat", Heartbeat).WithName("HeartbeatTask");
        tasks.MapPost("/complete", Complete).WithName("CompleteTask");
        tasks.MapPost("/fail", Fail).WithName("FailTask");
        return app;
    }

    public static async Task<Results<Ok<ClaimTasksResponse>, JsonHttpResult<ProblemDto>>> Claim(
        ClaimTasksRequest body, TaskBroker broker, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(body.WorkerId))
        {
            return Problems.Result(OperationError.Validation("workerId", "is required: name the worker that will hold the leases"));
        }

        var claimed = await broker.ClaimAsync(new ClaimSpec
        {
            WorkerId = body.WorkerId,
            Queues = body.Queues is { Count: > 0 } queues ? queues : [TaskDefaults.Queue],
            Groups = body.Groups ?? [],
            Types = body.Types ?? [],
            MaxTasks = body.MaxTasks ?? 1,
            LeaseMs = body.LeaseMs,
            WaitMs = body.WaitMs ?? 0,
        }, cancellationToken);
        return claimed.IsSuccess
            ? TypedResults.Ok(new ClaimTasksResponse(claimed.Value.Select(t => t.ToDto()).ToArray()))
            : Problems.Result(claimed.Error);
    }

    public static async Task<Results<Ok<HeartbeatResponse>, JsonHttpResult<ProblemDto>>> Heartbeat(
        string id, HeartbeatRequest body, TaskBroker broker, CancellationToken cancellationToken)
    {
        if (body.LeaseToken is not { } token)
        {
            return Problems.Result(MissingToken);
        }

        if (TaskProgress.PercentProblem(body.Progress?.Percent) is { } problem)
        {
            return Problems.Result(OperationError.Validation("progress.percent", problem));
        }

        var lease = await broker.HeartbeatAsync(id, token, body.LeaseMs, body.Progress.ToProgress(), cancellationToken);
        return lease.IsSuccess ? TypedResults.Ok(new HeartbeatResponse(lease.Value.ToDto())) : Problems.Result(lease.Error);
    }

    public static async Task<Results<Ok<TaskDto>, JsonHttpResult<ProblemDto>>> Complete(
        string id, CompleteRequest body, TaskBroker broker, CancellationToken cancellationToken)
    {
        if (body.LeaseToken is not { } token)
        {
            return Problems.Result(MissingToken);
        }

        return TasksApi.Moved(await broker.CompleteAsync(id, token, body.Result ?? JsonText.Null, null, cancellationToken));
    }

    public static async Task<Results<Ok<TaskDto>, JsonHttpResult<ProblemDto>>> Fail(
        string id, FailRequest body, TaskBroker broker, CancellationToken cancellationToken)
    {
        if (body.LeaseToken is not { } token)
        {
            return Problems.Result(MissingToken);
        }

        var error = body.Error.ToError();
        if (!error.IsSuccess)
        {
            return Problems.Result(error.Error);
        }

        if (body.RetryAfterMs is < 0 or > NewTasks.MaxDelayMs)
        {
            return Problems.Result(OperationError.Validation("retryAfterMs", $"must be between 0 and {NewTasks.MaxDelayMs} ms"));
        }

        return TasksApi.Moved(await broker.FailAsync(id, token, error.Value, body.RetryAfterMs, null, cancellationToken));
    }

    private static OperationError MissingToken { get; } =
        OperationError.Validation("leaseToken", "is required: pass the lease.token the claim returned");
}
