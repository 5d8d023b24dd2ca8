using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;
using Switchyard.Core.Types;

namespace Switchyard.Server.Endpoints;

/// <summary><c>/api/v1/task-types</c>: the registered task types (payload schema, defaults, concurrency); list, read, put, delete.</summary>
public static class TaskTypesApi
{
    public static RouteGroupBuilder MapTaskTypesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/task-types").WithTags("Task types");
        group.MapGet("/", List).WithName("ListTaskTypes");
        group.MapGet("/{type}", Get).WithName("GetTaskType");
        group.MapPut("/{type}", Put).WithName("PutTaskType");
        group.MapDelete("/{type}", Delete).WithName("DeleteTaskType");
        return group;
    }

    public static async Task<Ok<TaskTypeListResponse>> List(TaskTypeCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(new TaskTypeListResponse((await catalog.ListAsync(cancellationToken)).Select(d => d.ToDto()).ToArray()));

    public static async Task<Results<Ok<TaskTypeDto>, JsonHttpResult<ProblemDto>>> Get(
        string type, TaskTypeCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.GetAsync(RouteNames.Decode(type), cancellationToken) is { } definition
            ? TypedResults.Ok(definition.ToDto())
            : Problems.Result(NotRegistered(RouteNames.Decode(type)));

    public static async Task<Results<Ok<TaskTypeDto>, JsonHttpResult<ProblemDto>>> Put(
        string type, TaskTypeDto body, TaskTypeCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        var definition = body.ToDefinition(RouteNames.Decode(type));
        if (!definition.IsSuccess)
        {
            return Problems.Result(definition.Error);
        }

        var stored = await catalog.PutAsync(definition.Value, http.Actor(), cancellationToken);
        return stored.IsSuccess ? TypedResults.Ok(stored.Value.ToDto()) : Problems.Result(stored.Error);
    }

    public static async Task<Results<NoContent, JsonHttpResult<ProblemDto>>> Delete(
        string type, TaskTypeCatalog catalog, HttpContext http, CancellationToken cancellationToken) =>
        await catalog.DeleteAsync(RouteNames.Decode(type), http.Actor(), cancellationToken)
            ? TypedResults.NoContent()
            : Problems.Result(NotRegistered(RouteNames.Decode(type)));

    private static OperationError NotRegistered(string type) => new(ErrorCodes.NotFound, $"Task type '{type}' is not registered.");
}
