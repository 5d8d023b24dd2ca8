namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>Settings of the OpenAI-compatible endpoint; bound from the <c>OpenAi</c> configuration section.</summary>
public sealed class OpenAiOptions
{
    public const string Section = "OpenAi";

    /// <summary>The type of every task a chat completion becomes (shared with the dispatcher dialect).</summary>
    public const string TaskType = "llm.chat";

    /// <summary>Request header naming this request's deadline in milliseconds (the engine clamps it to its bounds).</summary>
    public const string TimeoutHeader = "X-Switchyard-Timeout-Ms";

    public const string QueueDefault = "default";
    public const long TimeoutMsDefault = 600_000;
    public const int MaxAttemptsDefault = 1;

    /// <summary>The queue chat tasks go to.</summary>
    public string Queue { get; set; } = QueueDefault;

    /// <summary>Deadline of a chat task when the request names none: the task fails as "Task timeout" then (504).</summary>
    public long TimeoutMs { get; set; } = TimeoutMsDefault;

    /// <summary>Attempts per request. One by default: a half-streamed answer cannot be retried, and OpenAI clients retry themselves.</summary>
    public int MaxAttempts { get; set; } = MaxAttemptsDefault;

    /// <summary>Refuse (503) a request for a model no connected push worker serves, rather than queueing it.</summary>
    public bool RequireWorker { get; set; } = true;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Core.Engine.Names.IsValid(Queue))
        {
            problems.Add($"OpenAi:Queue '{Queue}' {Core.Engine.Names.Rule}");
        }

        if (TimeoutMs < 1)
        {
            problems.Add("OpenAi:TimeoutMs must be a positive number of milliseconds");
        }

        if (MaxAttempts is < 1 or > Core.Engine.NewTasks.MaxAttemptsLimit)
        {
            problems.Add($"OpenAi:MaxAttempts must be between 1 and {Core.Engine.NewTasks.MaxAttemptsLimit}");
        }

        return problems;
    }
}
