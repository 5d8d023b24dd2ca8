using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Cluster;
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

    /// <summary>
    /// Every node's push workers, oldest first: this node's as they are now (with credits and held tasks), the other
    /// nodes' as last read from the shared store.
    /// </summary>
    public static Ok<WorkerListResponse> List(PushDispatcher dispatcher, WorkerDirectory directory, IClusterBus cluster)
    {
        var local = dispatcher.Sessions.Select(s => ToDto(s, cluster));
        var remote = directory.Remote.Select(ToDto);
        return TypedResults.Ok(new WorkerListResponse(local.Concat(remote).OrderBy(w => w.ConnectedAt).ToArray()));
    }

    /// <summary>Stops pushing to the worker; a worker of another node is sent the word there (202).</summary>
    public static Task<Results<Ok<WorkerDto>, Accepted<WorkerDto>, JsonHttpResult<ProblemDto>>> Quiet(
        string id, PushDispatcher dispatcher, WorkerDirectory directory, IClusterBus cluster, CancellationToken cancellationToken) =>
        CommandAsync(id, terminate: false, DefaultGraceMs, dispatcher, directory, cluster, cancellationToken);

    /// <summary>Also tells the worker to finish within the grace and close; a worker of another node is sent the word there (202).</summary>
    public static async Task<Results<Ok<WorkerDto>, Accepted<WorkerDto>, JsonHttpResult<ProblemDto>>> Terminate(
        string id, [FromQuery] long? graceMs, PushDispatcher dispatcher, WorkerDirectory directory, IClusterBus cluster,
        CancellationToken cancellationToken)
    {
        if (graceMs is < 0)
        {
            return Problems.Result(OperationError.Validation("graceMs", "must not be negative"));
        }

        return await CommandAsync(id, terminate: true, graceMs ?? DefaultGraceMs, dispatcher, directory, cluster, cancellationToken);
    }

    private static async Task<Results<Ok<WorkerDto>, Accepted<WorkerDto>, JsonHttpResult<ProblemDto>>> CommandAsync(
        string id, bool terminate, long graceMs, PushDispatcher dispatcher, WorkerDirectory directory, IClusterBus cluster,
        CancellationToken cancellationToken)
    {
        if (dispatcher.Tell(id, terminate, TimeSpan.FromMilliseconds(graceMs)) is { } session)
        {
            return TypedResults.Ok(ToDto(session, cluster));
        }

        if (directory.Remote.FirstOrDefault(w => w.WorkerId == id) is not { } remote)
        {
            return Problems.Result(new OperationError(ErrorCodes.NotFound, $"No worker '{id}' is connected."));
        }

        await cluster.SendWorkerCommandAsync(new WorkerCommand(remote.NodeId, id, terminate, graceMs), cancellationToken);
        return TypedResults.Accepted((string?)null, ToDto(remote) with { Quiet = true });
    }

    /// <summary>Another node's worker as last read: no credits or tasks (only its node knows them).</summary>
    private static WorkerDto ToDto(ConnectedWorker w) => new(
        w.WorkerId, w.Name ?? w.WorkerId, w.Protocol, w.Queues, w.Groups, w.Types, w.Quiet, w.ConnectedAt, Version: w.Version, Node: w.NodeId);

    /// <summary>A worker of this node as it is now; its node named only in a cluster.</summary>
    private static WorkerDto ToDto(WorkerSession s, IClusterBus cluster) => new(
        s.Spec.WorkerId, s.Spec.Name, s.Spec.Protocol, s.Spec.Queues, s.Spec.Groups, s.Spec.Types,
        s.IsQuiet, s.ConnectedAt, s.Credits, s.Held.Select(h => h.Key).ToArray(), s.Spec.Version, cluster.Shared ? cluster.NodeId : null);
}
