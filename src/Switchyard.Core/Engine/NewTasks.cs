using Switchyard.Core.Model;

namespace Switchyard.Core.Engine;

/// <summary>Turns a client's <see cref="SubmitTask"/> into the record to store, or says which field is wrong.</summary>
public static class NewTasks
{
    public const int MaxAttemptsLimit = 1000;
    public const int MaxLabelValueLength = 1000;
    public const int MaxKeyLength = 1000;

    /// <summary>Longest delay a task, a retry or a run time may ask for: one year.</summary>
    public const long MaxDelayMs = 365L * 24 * 3600 * 1000;

    public static Outcome<TaskRecord> Build(SubmitTask spec, EngineOptions options, DateTimeOffset now, string fieldPrefix = "")
    {
        if (Check(spec, options, fieldPrefix) is { } error)
        {
            return error;
        }

        var runAt = spec.RunAt ?? (spec.DelayMs is > 0 and var delay ? now.AddMilliseconds(delay) : null);
        var dependsOn = spec.DependsOn is { Count: > 0 } deps ? deps : TaskDefaults.NoDependencies;
        var timeoutMs = (spec.Timeouts ?? options.Timeouts).Normalize(spec.TimeoutMs);
        return new TaskRecord
        {
            Id = spec.Id ?? Guid.CreateVersion7(now).ToString(),
            Type = spec.Type,
            Queue = spec.Queue ?? TaskDefaults.Queue,
            Group = spec.Group ?? TaskDefaults.Group,
            Priority = spec.Priority ?? 0,
            Payload = spec.Payload ?? JsonText.Null,
            State = dependsOn.Count > 0 ? TaskState.Blocked : runAt > now ? TaskState.Scheduled : TaskState.Queued,
            MaxAttempts = spec.MaxAttempts ?? TaskDefaults.MaxAttempts,
            Retry = spec.Retry?.ToPolicy() ?? Policies.RetryPolicy.Default,
            TimeoutMs = timeoutMs,
            DeadlineAt = timeoutMs is { } ms ? now.AddMilliseconds(ms) : null,
            LeaseMs = spec.LeaseMs is { } lease ? Math.Clamp(lease, options.MinLeaseMs, options.MaxLeaseMs) : null,
            RunAt = runAt,
            ParentId = spec.ParentId,
            DependsOn = dependsOn,
            OnDependencyFailure = spec.OnDependencyFailure ?? DependencyFailurePolicy.Fail,
            MaxRejections = spec.MaxRejections ?? TaskDefaults.MaxRejections,
            CorrelationId = spec.CorrelationId,
            IdempotencyKey = spec.IdempotencyKey,
            Review = spec.Review ?? ReviewMode.None,
            Labels = spec.Labels ?? TaskDefaults.NoLabels,
            Scope = spec.Scope ?? TaskDefaults.Scope,
            ResultTtlMs = spec.ResultTtlMs,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static OperationError? Check(SubmitTask spec, EngineOptions options, string p)
    {
        if (!Names.IsValid(spec.Type))
        {
            return OperationError.Validation(p + "type", $"'{spec.Type}' is not a valid task type: it {Names.Rule}");
        }

        if (spec.Id is { } id && id.Contains('/', StringComparison.Ordinal))
        {
            return OperationError.Validation(p + "id", $"'{id}' must not contain '/' (it names the task in URLs)");
        }

        foreach (var (field, value) in new[] { ("id", spec.Id), ("queue", spec.Queue), ("group", spec.Group), ("scope", spec.Scope), ("parentId", spec.ParentId) })
        {
            if (value is not null && !Names.IsValid(value))
            {
                return OperationError.Validation(p + field, $"'{value}' is not valid: it {Names.Rule}");
            }
        }

        if (spec.MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            return OperationError.Validation(p + "maxAttempts", $"must be between 1 and {MaxAttemptsLimit}");
        }

        if (spec.Timeouts is null && spec.TimeoutMs is <= 0)
        {
            return OperationError.Validation(p + "timeoutMs", "must be a positive number of milliseconds");
        }

        if (spec.Timeouts?.Validate() is { } timeoutProblem)
        {
            return OperationError.Validation(p + "timeoutMs", timeoutProblem);
        }

        if (spec.Timeouts is { } timeouts && (timeouts.MaxMs > MaxDelayMs || timeouts.DefaultMs > MaxDelayMs))
        {
            return OperationError.Validation(p + "timeoutMs", $"timeouts must be at most {MaxDelayMs} ms (one year)");
        }

        if (spec.LeaseMs is <= 0)
        {
            return OperationError.Validation(p + "leaseMs", "must be a positive number of milliseconds");
        }

        if (spec.DelayMs is < 0 or > MaxDelayMs)
        {
            return OperationError.Validation(p + "delayMs", $"must be between 0 and {MaxDelayMs} (one year)");
        }

        if (spec.RunAt is { } runAt && (runAt.Year < 2000 || runAt.Year > 9000))
        {
            return OperationError.Validation(p + "runAt", "must be a time between the years 2000 and 9000");
        }

        if (spec.Retry is { } retry && (retry.BaseDelayMs is < 0 or > MaxDelayMs || retry.MaxDelayMs is < 0 or > MaxDelayMs))
        {
            return OperationError.Validation(p + "retry", $"delays must be between 0 and {MaxDelayMs} ms (one year)");
        }

        if (spec.ResultTtlMs is < 0 or > MaxDelayMs)
        {
            return OperationError.Validation(p + "resultTtlMs", $"must be between 0 and {MaxDelayMs} (one year)");
        }

        if (spec.RunAt is not null && spec.DelayMs is not null)
        {
            return OperationError.Validation(p + "runAt", "give either runAt or delayMs, not both");
        }

        if (spec.Retry?.ToPolicy().Validate() is { } retryProblem)
        {
            return OperationError.Validation(p + "retry", retryProblem);
        }

        foreach (var (field, value) in new[] { ("idempotencyKey", spec.IdempotencyKey), ("correlationId", spec.CorrelationId) })
        {
            if (value is { Length: 0 or > MaxKeyLength })
            {
                return OperationError.Validation(p + field, $"must be 1-{MaxKeyLength} characters");
            }

            if (FreeText.HasNul(value))
            {
                return OperationError.Validation(p + field, FreeText.NulRule);
            }
        }

        if (spec.MaxRejections is < 1 or > MaxAttemptsLimit)
        {
            return OperationError.Validation(p + "maxRejections", $"must be between 1 and {MaxAttemptsLimit}");
        }

        return CheckDependencies(spec, p) ?? CheckLabels(spec.Labels, p);
    }

    private static OperationError? CheckDependencies(SubmitTask spec, string p)
    {
        if (spec.DependsOn is not { } dependsOn)
        {
            return null;
        }

        if (dependsOn.Count > TaskDefaults.MaxDependencies)
        {
            return OperationError.Validation(p + "dependsOn", $"a task may depend on at most {TaskDefaults.MaxDependencies} tasks");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dependsOn.Count; i++)
        {
            var id = dependsOn[i];
            if (id is null || !Names.IsValid(id) || id.Contains('/', StringComparison.Ordinal))
            {
                return OperationError.Validation($"{p}dependsOn[{i}]", $"'{id}' is not a task id: it {Names.Rule} and has no '/'");
            }

            if (!seen.Add(id))
            {
                return OperationError.Validation($"{p}dependsOn[{i}]", $"'{id}' is listed twice");
            }

            if (id == spec.Id)
            {
                return new OperationError(ErrorCodes.DependencyCycle, $"Task '{id}' depends on itself ({p}dependsOn[{i}]).",
                    new Dictionary<string, string[]> { [$"{p}dependsOn[{i}]"] = ["a task cannot depend on itself"] });
            }
        }

        return null;
    }

    private static OperationError? CheckLabels(IReadOnlyDictionary<string, string>? labels, string p)
    {
        if (labels is null)
        {
            return null;
        }

        if (labels.Count > TaskDefaults.MaxLabels)
        {
            return OperationError.Validation(p + "labels", $"at most {TaskDefaults.MaxLabels} labels are allowed");
        }

        foreach (var (key, value) in labels)
        {
            if (!Names.IsValid(key))
            {
                return OperationError.Validation(p + "labels", $"label key '{key}' {Names.Rule}");
            }

            if (value is null || value.Length > MaxLabelValueLength)
            {
                return OperationError.Validation(p + "labels." + key, $"label values must be strings of at most {MaxLabelValueLength} characters");
            }

            if (FreeText.HasNul(value))
            {
                return OperationError.Validation(p + "labels." + key, FreeText.NulRule);
            }
        }

        return null;
    }
}
