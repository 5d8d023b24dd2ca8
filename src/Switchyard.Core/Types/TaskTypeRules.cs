using Switchyard.Core.Engine;
using Switchyard.Core.Model;

namespace Switchyard.Core.Types;

/// <summary>What makes a task type definition acceptable; every refusal names its field.</summary>
public static class TaskTypeRules
{
    public const int MaxDescriptionLength = 2_000;
    public const int MaxConcurrency = 1_000_000;

    /// <summary>Null when <paramref name="definition"/> may be stored; else the first problem, its field under <paramref name="fieldPrefix"/>.</summary>
    public static async Task<OperationError?> CheckAsync(
        TaskTypeDefinition definition, EngineOptions options, DateTimeOffset now, string fieldPrefix, CancellationToken cancellationToken)
    {
        var p = fieldPrefix;
        if (!Names.IsValid(definition.Type))
        {
            return OperationError.Validation(p + "type", $"'{definition.Type}' is not a valid task type: it {Names.Rule}");
        }

        if (definition.Description is { Length: > MaxDescriptionLength })
        {
            return OperationError.Validation(p + "description", $"must be at most {MaxDescriptionLength} characters");
        }

        if (FreeText.HasNul(definition.Description))
        {
            return OperationError.Validation(p + "description", FreeText.NulRule);
        }

        if (definition.Concurrency is < 1 or > MaxConcurrency)
        {
            return OperationError.Validation(p + "concurrency", $"must be between 1 and {MaxConcurrency} (leave it out for no limit)");
        }

        if (definition.EstimatedDurationMs is < 0 or > NewTasks.MaxDelayMs)
        {
            return OperationError.Validation(p + "estimatedDurationMs", $"must be between 0 and {NewTasks.MaxDelayMs}");
        }

        // The defaults must make a valid task on their own: the engine's own submit checks say which field is wrong.
        var sample = definition.Defaults.FillInto(new SubmitTask { Type = definition.Type });
        if (NewTasks.Build(sample, options, now, p + "defaults.") is { IsSuccess: false } refused)
        {
            return refused.Error;
        }

        if (definition.PayloadSchema is { } schema)
        {
            var compiled = await PayloadSchema.CompileAsync(schema, p + "payloadSchema", cancellationToken);
            if (!compiled.IsSuccess)
            {
                return compiled.Error;
            }
        }

        return null;
    }
}
