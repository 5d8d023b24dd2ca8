using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;
using Switchyard.Core.Scheduling;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Endpoints;

/// <summary><c>/api/v1/schedules</c>: recurring schedules that submit a task each time their cron expression matches.</summary>
public static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/schedules").WithTags("Schedules");
        group.MapGet("/", List).WithName("ListSchedules");
        group.MapGet("/{id}", Get).WithName("GetSchedule");
        group.MapPut("/{id}", Put).WithName("PutSchedule");
        group.MapDelete("/{id}", Delete).WithName("DeleteSchedule");
        group.MapPost("/{id}/pause", Pause).WithName("PauseSchedule");
        group.MapPost("/{id}/resume", Resume).WithName("ResumeSchedule");
        group.MapPost("/{id}/trigger", Trigger).WithName("TriggerSchedule");
        return group;
    }

    public static async Task<Results<Ok<ScheduleListResponse>, JsonHttpResult<ProblemDto>>> List(
        [FromQuery] string? limit, [FromQuery] string? cursor, ScheduleBroker schedules, CancellationToken cancellationToken)
    {
        var size = ListSchedulesRequest.DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > ListSchedulesRequest.MaxLimit))
        {
            return Problems.Result(OperationError.Validation("limit", $"must be a whole number from 1 to {ListSchedulesRequest.MaxLimit}, not '{limit}'"));
        }

        var page = await schedules.ListAsync(new ListSchedulesRequest(string.IsNullOrEmpty(cursor) ? null : cursor, size), cancellationToken);
        return TypedResults.Ok(new ScheduleListResponse(page.Select(s => s.ToDto()).ToArray(), page.Count == size ? page[^1].Id : null));
    }

    public static async Task<Results<Ok<ScheduleDto>, JsonHttpResult<ProblemDto>>> Get(string id, ScheduleBroker schedules, CancellationToken cancellationToken) =>
        await schedules.GetAsync(id, cancellationToken) is { } schedule ? TypedResults.Ok(schedule.ToDto()) : Problems.Result(ScheduleBroker.NotFound(id));

    public static async Task<Results<Ok<ScheduleDto>, Created<ScheduleDto>, JsonHttpResult<ProblemDto>>> Put(
        string id, PutScheduleRequest body, ScheduleBroker schedules, CancellationToken cancellationToken)
    {
        var spec = body.ToSpec(Uri.UnescapeDataString(id)); // routing leaves an encoded '/' as %2F: refuse the id as it was given
        if (!spec.IsSuccess)
        {
            return Problems.Result(spec.Error);
        }

        var stored = await schedules.UpsertAsync(spec.Value, cancellationToken);
        if (!stored.IsSuccess)
        {
            return Problems.Result(stored.Error);
        }

        var dto = stored.Value.Schedule.ToDto();
        return stored.Value.Created ? TypedResults.Created(Location(id), dto) : TypedResults.Ok(dto);
    }

    public static async Task<Results<NoContent, JsonHttpResult<ProblemDto>>> Delete(string id, ScheduleBroker schedules, CancellationToken cancellationToken) =>
        await schedules.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.Result(ScheduleBroker.NotFound(id));

    public static async Task<Results<Ok<ScheduleDto>, JsonHttpResult<ProblemDto>>> Pause(string id, ScheduleBroker schedules, CancellationToken cancellationToken) =>
        Answer(await schedules.PauseAsync(id, cancellationToken));

    public static async Task<Results<Ok<ScheduleDto>, JsonHttpResult<ProblemDto>>> Resume(string id, ScheduleBroker schedules, CancellationToken cancellationToken) =>
        Answer(await schedules.ResumeAsync(id, cancellationToken));

    /// <summary>Runs the schedule now (paused or not): 202 with the task it submitted.</summary>
    public static async Task<Results<Accepted<TaskDto>, JsonHttpResult<ProblemDto>>> Trigger(
        string id, ScheduleBroker schedules, CancellationToken cancellationToken)
    {
        var submitted = await schedules.TriggerAsync(id, cancellationToken);
        return submitted.IsSuccess
            ? TypedResults.Accepted($"/api/v1/tasks/{Uri.EscapeDataString(submitted.Value.Task.Id)}", submitted.Value.Task.ToDto())
            : Problems.Result(submitted.Error);
    }

    private static Results<Ok<ScheduleDto>, JsonHttpResult<ProblemDto>> Answer(Outcome<Schedule> outcome) =>
        outcome.IsSuccess ? TypedResults.Ok(outcome.Value.ToDto()) : Problems.Result(outcome.Error);

    private static string Location(string id) => $"/api/v1/schedules/{Uri.EscapeDataString(id)}";
}
