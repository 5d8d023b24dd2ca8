using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Scheduling;

namespace Switchyard.Server.Endpoints;

/// <summary>Between schedule wire contracts and the engine's schedules.</summary>
public static class ScheduleMapping
{
    public static ScheduleDto ToDto(this Schedule s) => new()
    {
        Id = s.Id,
        Cron = s.Cron,
        TimeZone = s.TimeZone,
        Template = s.Template.ToRequest(),
        MissedRuns = s.MissedRuns.ToName(),
        Paused = s.Paused,
        NextRunAt = s.NextRunAt,
        LastRunAt = s.LastRunAt,
        LastTaskId = s.LastTaskId,
        LastError = s.LastError,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
    };

    /// <summary>The schedule asked for by <c>PUT /api/v1/schedules/{id}</c>; refusals name the field.</summary>
    public static Outcome<ScheduleSpec> ToSpec(this PutScheduleRequest? body, string id)
    {
        if (body is null)
        {
            return OperationError.Validation("body", "a schedule object is required");
        }

        if (body.Template is null)
        {
            return OperationError.Validation("template", "is required: the task each run submits (a submit body)");
        }

        var policy = MissedRunPolicy.Skip;
        if (body.MissedRuns is not null && !MissedRunPolicies.TryParse(body.MissedRuns, out policy))
        {
            return OperationError.Validation("missedRuns", $"{MissedRunPolicies.Rule}, not '{body.MissedRuns}'");
        }

        var template = body.Template.ToSpec("template.");
        if (!template.IsSuccess)
        {
            return template.Error;
        }

        return new ScheduleSpec
        {
            Id = id,
            Cron = body.Cron ?? string.Empty,
            TimeZone = body.TimeZone,
            Template = template.Value,
            MissedRuns = policy,
            Paused = body.Paused,
        };
    }

    /// <summary>A template as a submit body, the shape it was given in.</summary>
    public static SubmitTaskRequest ToRequest(this SubmitTask t) => new()
    {
        Id = t.Id,
        Type = t.Type,
        Queue = t.Queue,
        Group = t.Group,
        Priority = t.Priority,
        Payload = t.Payload,
        MaxAttempts = t.MaxAttempts,
        Retry = t.Retry is { } r
            ? new RetryDto(r.Backoff switch { BackoffKind.Fixed => "fixed", BackoffKind.Exponential => "exponential", _ => null },
                r.BaseDelayMs, r.MaxDelayMs, r.Multiplier, r.Jitter)
            : null,
        TimeoutMs = t.TimeoutMs,
        LeaseMs = t.LeaseMs,
        RunAt = t.RunAt,
        DelayMs = t.DelayMs,
        IdempotencyKey = t.IdempotencyKey,
        Labels = t.Labels?.ToDictionary(StringComparer.Ordinal),
        CorrelationId = t.CorrelationId,
        ParentId = t.ParentId,
        DependsOn = t.DependsOn,
        OnDependencyFailure = t.OnDependencyFailure?.ToName(),
        MaxRejections = t.MaxRejections,
        Review = t.Review switch { ReviewMode.Required => "required", ReviewMode.None => "none", _ => null },
        Scope = t.Scope,
        ResultTtlMs = t.ResultTtlMs,
    };
}
