using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Model;

namespace Switchyard.Server.Endpoints;

/// <summary><c>/api/v1/workers</c>: the connected push workers; tell one to go quiet or to terminate.</summary>
public static class WorkersApi
{
    public const long DefaultGraceMs = 30_000;

    public static RouteGroupBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/workers").WithTags("Workers");
        group.MapGet("/", List).WithName("ListWorkers");
        group.MapPost("/{id}/quiet", Quiet).WithName("QuietWorker");
        group.MapPost("/{id}/terminate", Terminate).WithName("TerminateWorker");
        return group;
    }

    public static Ok<WorkerListResponse> List(PushDispatcher dispatcher) =>
        TypedResults.Ok(new WorkerListResponse(dispatcher.Sessions.OrderBy(s => s.ConnectedAt).Select(ToDto).ToArray()));

    public static Results<Ok<WorkerDto>, JsonHttpResult<ProblemDto>> Quiet(string id, PushDispatcher dispatcher)
    {
        if (dispatcher.Find(id) is not { } session)
        {
            return Problems.Result(new OperationError(ErrorCodes.NotFound, $"No worker '{id}' is connected."));
        }

        session.Quiet();
        return TypedResults.Ok(ToDto(session));
    }

    public static Results<Ok<WorkerDto>, JsonHttpResult<ProblemDto>> Terminate(string id, [FromQuery] long? graceMs, PushDispatcher dispatcher)
    {
        if (dispatcher.Find(id) is not { } session)
        {
            return Problems.Result(new OperationError(ErrorCodes.NotFound, $"No worker '{id}' is connected."));
        }

        if (graceMs is < 0)
        {
            return Problems.Result(OperationError.Validation("graceMs", "must not be negative"));
        }

        session.Terminate(TimeSpan.FromMilliseconds(graceMs ?? DefaultGraceMs));
        return TypedResults.Ok(ToDto(session));
    }

    private static WorkerDto ToDto(WorkerSession s) => new(
        s.Spec.WorkerId, s.Spec.Name, s.Spec.Protocol, s.Spec.Queues, s.Spec.Groups, s.Spec.Types,
        s.Credits, s.Held.Select(h => h.Key).ToArray(), s.IsQuiet, s.ConnectedAt, s.Spec.Version);
}
