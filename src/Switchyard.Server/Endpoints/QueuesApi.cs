using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Endpoints;

/// <summary><c>/api/v1/queues</c>: how many tasks each queue holds per state, and its length limit.</summary>
public static class QueuesApi
{
    public static RouteGroupBuilder MapQueuesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/queues").WithTags("Queues");
        group.MapGet("/", List).WithName("ListQueues");
        group.MapGet("/{name}", Get).WithName("GetQueue");
        return group;
    }

    public static async Task<Ok<QueueListResponse>> List(TaskBroker broker, CancellationToken cancellationToken)
    {
        var stats = await broker.QueueStatsAsync(cancellationToken);
        return TypedResults.Ok(new QueueListResponse(stats.Select(s => s.ToDto(broker.Options.MaxQueueLengthOf(s.Queue))).ToArray()));
    }

    public static async Task<Results<Ok<QueueDto>, JsonHttpResult<ProblemDto>>> Get(string name, TaskBroker broker, CancellationToken cancellationToken)
    {
        if (!Names.IsValid(name))
        {
            return Problems.Result(OperationError.Validation("name", $"'{name}' {Names.Rule}"));
        }

        var stats = (await broker.QueueStatsAsync(cancellationToken)).FirstOrDefault(s => s.Queue == name)
                    ?? new QueueStats(name, new Dictionary<TaskState, long>());
        var all = TaskStates.All.ToDictionary(s => s, stats.Count);
        return TypedResults.Ok(new QueueStats(name, all).ToDto(broker.Options.MaxQueueLengthOf(name)));
    }
}
