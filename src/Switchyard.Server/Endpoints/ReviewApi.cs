using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Server.Security;

namespace Switchyard.Server.Endpoints;

/// <summary>The review gate: reviewers claim tasks in review, then accept or reject them.</summary>
public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/reviews/claim", Claim).WithTags("Review").WithName("ClaimReviews");
        var tasks = app.MapGroup("/api/v1/tasks/{id}").WithTags("Review");
        tasks.MapPost("/accept", Accept).WithName("AcceptTask");
        tasks.MapPost("/reject", Reject).WithName("RejectTask");
        return app;
    }

    public static async Task<Results<Ok<ClaimTasksResponse>, JsonHttpResult<ProblemDto>>> Claim(
        ReviewClaimRequest body, TaskBroker broker, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(body.ReviewerId))
        {
            return Problems.Result(OperationError.Validation("reviewerId", "is required: name the reviewer that will hold the leases"));
        }

        var leased = await broker.ClaimReviewAsync(
            body.ReviewerId, body.Queues is { Count: > 0 } queues ? queues : [TaskDefaults.Queue], body.Types ?? [], body.MaxTasks ?? 1,
            body.LeaseMs, cancellationToken);
        return leased.IsSuccess
            ? TypedResults.Ok(new ClaimTasksResponse(leased.Value.Select(t => t.ToDto()).ToArray()))
            : Problems.Result(leased.Error);
    }

    public static async Task<Results<Ok<TaskDto>, JsonHttpResult<ProblemDto>>> Accept(
        string id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ReviewDecisionRequest? body,
        TaskBroker broker, IOptions<SecurityOptions> security, HttpContext http, CancellationToken cancellationToken)
    {
        if (Forbidden(body, security.Value, http) is { } refused)
        {
            return Problems.Result(refused);
        }

        return TasksApi.Moved(await broker.AcceptAsync(id, body?.LeaseToken, body?.Force == true, http.Actor(), cancellationToken));
    }

    public static async Task<Results<Ok<TaskDto>, JsonHttpResult<ProblemDto>>> Reject(
        string id, ReviewDecisionRequest body, TaskBroker broker, IOptions<SecurityOptions> security, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (Forbidden(body, security.Value, http) is { } refused)
        {
            return Problems.Result(refused);
        }

        return TasksApi.Moved(await broker.RejectAsync(
            id, body.Feedback ?? string.Empty, body.LeaseToken, body.Force == true, http.Actor(), cancellationToken));
    }

    private static OperationError? Forbidden(ReviewDecisionRequest? body, SecurityOptions security, HttpContext http) =>
        body?.Force == true && !security.IsAdmin(http.Actor())
            ? new OperationError(ErrorCodes.Forbidden, "Only admin keys may force a review decision (see Security:AdminKeys).")
            : null;
}
