using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Endpoints;

/// <summary>
/// <c>/api/v1/queues</c>: how many tasks each queue holds per state, with its stored controls; change the controls
/// (merge patch), pause and resume.
/// </summary>
public static class QueuesApi
{
    public static RouteGroupBuilder MapQueuesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/queues").WithTags("Queues");
        group.MapGet("/", List).WithName("ListQueues");
        group.MapGet("/{name}", Get).WithName("GetQueue");
        group.MapPatch("/{name}", Patch).WithName("UpdateQueue").Accepts<QueueSettingsDto>("application/merge-patch+json", "application/json");
        group.MapPost("/{name}/pause", Pause).WithName("PauseQueue");
        group.MapPost("/{name}/resume", Resume).WithName("ResumeQueue");
        return group;
    }

    public static async Task<Ok<QueueListResponse>> List(TaskBroker broker, QueueControls controls, CancellationToken cancellationToken)
    {
        // A queue whose last task is gone (retention, a purge) is left out, unless it has settings: the list is the
        // queues that hold tasks or have settings.
        var stats = (await broker.QueueStatsAsync(cancellationToken)).Where(s => s.Counts.Values.Any(n => n > 0))
            .ToDictionary(s => s.Queue, StringComparer.Ordinal);
        var settings = (await controls.ListAsync(cancellationToken)).ToDictionary(s => s.Queue, StringComparer.Ordinal);
        var names = stats.Keys.Union(settings.Keys).Order(StringComparer.Ordinal);
        return TypedResults.Ok(new QueueListResponse(names.Select(name => ToDto(
            stats.GetValueOrDefault(name) ?? Empty(name), settings.GetValueOrDefault(name) ?? QueueSettings.Default(name), controls)).ToArray()));
    }

    public static async Task<Results<Ok<QueueDto>, JsonHttpResult<ProblemDto>>> Get(
        string name, TaskBroker broker, QueueControls controls, CancellationToken cancellationToken)
    {
        name = RouteNames.Decode(name);
        if (!Names.IsValid(name))
        {
            return Problems.Result(OperationError.Validation("name", $"'{name}' {Names.Rule}"));
        }

        return TypedResults.Ok(await DescribeAsync(name, await controls.GetAsync(name, cancellationToken), broker, controls, cancellationToken));
    }

    /// <summary>Applies a JSON merge patch of settings: fields left out stay, null clears.</summary>
    public static async Task<Results<Ok<QueueDto>, JsonHttpResult<ProblemDto>>> Patch(
        string name, HttpContext http, TaskBroker broker, QueueControls controls, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Problems.Result(new OperationError(ErrorCodes.InvalidJson, $"$: the body is not valid JSON: {ContractJsonErrors.Syntax(ex)}"));
        }

        var patch = QueueMapping.ReadPatch(body);
        return patch.IsSuccess
            ? await UpdateAsync(name, patch.Value, http, broker, controls, cancellationToken)
            : Problems.Result(patch.Error);
    }

    public static Task<Results<Ok<QueueDto>, JsonHttpResult<ProblemDto>>> Pause(
        string name, HttpContext http, TaskBroker broker, QueueControls controls, CancellationToken cancellationToken) =>
        UpdateAsync(name, QueueSettingsPatch.Pause, http, broker, controls, cancellationToken);

    public static Task<Results<Ok<QueueDto>, JsonHttpResult<ProblemDto>>> Resume(
        string name, HttpContext http, TaskBroker broker, QueueControls controls, CancellationToken cancellationToken) =>
        UpdateAsync(name, QueueSettingsPatch.Resume, http, broker, controls, cancellationToken);

    private static async Task<Results<Ok<QueueDto>, JsonHttpResult<ProblemDto>>> UpdateAsync(
        string name, QueueSettingsPatch patch, HttpContext http, TaskBroker broker, QueueControls controls, CancellationToken cancellationToken)
    {
        name = RouteNames.Decode(name);
        var updated = await controls.UpdateAsync(name, patch, http.Actor(), cancellationToken);
        return updated.IsSuccess
            ? TypedResults.Ok(await DescribeAsync(name, updated.Value, broker, controls, cancellationToken))
            : Problems.Result(updated.Error);
    }

    private static async Task<QueueDto> DescribeAsync(
        string name, QueueSettings settings, TaskBroker broker, QueueControls controls, CancellationToken cancellationToken)
    {
        var stats = (await broker.QueueStatsAsync(cancellationToken)).FirstOrDefault(s => s.Queue == name) ?? Empty(name);
        return ToDto(new QueueStats(name, TaskStates.All.ToDictionary(s => s, stats.Count)), settings, controls);
    }

    private static QueueDto ToDto(QueueStats stats, QueueSettings settings, QueueControls controls) =>
        stats.ToDto(settings, controls.MaxLengthOf(settings));

    private static QueueStats Empty(string name) => new(name, new Dictionary<TaskState, long>());
}
