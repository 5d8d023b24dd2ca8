using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Types;

namespace Switchyard.Server.Endpoints;

/// <summary>Between the task type wire contract (REST, the types file) and <see cref="TaskTypeDefinition"/>.</summary>
public static class TaskTypeMapping
{
    public static TaskTypeDto ToDto(this TaskTypeDefinition d) => new()
    {
        Type = d.Type,
        Description = d.Description,
        PayloadSchema = d.PayloadSchema,
        Defaults = d.Defaults == TaskTypeDefaults.None ? null : new TaskTypeDefaultsDto
        {
            Queue = d.Defaults.Queue,
            Group = d.Defaults.Group,
            Priority = d.Defaults.Priority,
            TimeoutMs = d.Defaults.TimeoutMs,
            LeaseMs = d.Defaults.LeaseMs,
            MaxAttempts = d.Defaults.MaxAttempts,
            Retry = d.Defaults.Retry is { } r ? new RetryDto(r.Backoff?.ToName(), r.BaseDelayMs, r.MaxDelayMs, r.Multiplier, r.Jitter) : null,
            Review = d.Defaults.Review?.ToName(),
        },
        Concurrency = d.Concurrency,
        EstimatedDurationMs = d.EstimatedDurationMs,
        Source = d.Source.ToName(),
        UpdatedAt = d.UpdatedAt,
    };

    /// <summary>
    /// The definition <paramref name="dto"/> describes; <paramref name="type"/>, when given (the URL's), must match the body's.
    /// Values are checked later by <see cref="TaskTypeRules"/>; here only what has no meaning at all is refused.
    /// </summary>
    public static Outcome<TaskTypeDefinition> ToDefinition(this TaskTypeDto? dto, string? type, string prefix = "")
    {
        if (dto is null)
        {
            return OperationError.Validation(prefix.Length > 0 ? prefix.TrimEnd('.') : "body", "a task type object is required");
        }

        if (type is not null && dto.Type is not null && dto.Type != type)
        {
            return OperationError.Validation(prefix + "type", $"'{dto.Type}' differs from the type in the URL, '{type}'");
        }

        var name = type ?? dto.Type;
        if (string.IsNullOrEmpty(name))
        {
            return OperationError.Validation(prefix + "type", "is required");
        }

        var defaults = ToDefaults(dto.Defaults, prefix + "defaults.");
        return defaults.IsSuccess
            ? new TaskTypeDefinition
            {
                Type = name,
                Description = dto.Description,
                PayloadSchema = dto.PayloadSchema is { IsNull: false } schema ? schema : null,
                Defaults = defaults.Value,
                Concurrency = dto.Concurrency,
                EstimatedDurationMs = dto.EstimatedDurationMs,
            }
            : defaults.Error;
    }

    private static Outcome<TaskTypeDefaults> ToDefaults(TaskTypeDefaultsDto? d, string prefix)
    {
        if (d is null)
        {
            return TaskTypeDefaults.None;
        }

        var review = WireMapping.ToReview(d.Review, prefix + "review");
        if (!review.IsSuccess)
        {
            return review.Error;
        }

        var retry = WireMapping.ToSpec(d.Retry, prefix);
        if (!retry.IsSuccess)
        {
            return retry.Error;
        }

        var defaults = new TaskTypeDefaults
        {
            Queue = d.Queue,
            Group = d.Group,
            Priority = d.Priority,
            TimeoutMs = d.TimeoutMs,
            LeaseMs = d.LeaseMs,
            MaxAttempts = d.MaxAttempts,
            Retry = retry.Value,
            Review = review.Value,
        };
        return defaults == new TaskTypeDefaults() ? TaskTypeDefaults.None : defaults;
    }
}
