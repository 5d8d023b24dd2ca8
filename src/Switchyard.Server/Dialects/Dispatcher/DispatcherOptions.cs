using Switchyard.Core.Policies;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// Settings of the dispatcher dialect, from the origin's environment variables or the <c>Dispatcher</c>
/// configuration section (which wins when both are given); read by <see cref="DispatcherOptionsSetup"/>.
/// </summary>
public sealed class DispatcherOptions
{
    public const string Section = "Dispatcher";
    public const long TaskTimeoutMsDefault = 60_000;
    public const long MinTaskTimeoutMsDefault = 5_000;
    public const long MaxTaskTimeoutMsDefault = 600_000;
    public const int MaxQueueLengthDefault = 1_000;
    public const long TaskResultTtlMsDefault = 300_000;

    /// <summary>Timeout of a request that names none (not clamped). <c>TASK_TIMEOUT_MS</c>.</summary>
    public long TaskTimeoutMs { get; set; } = TaskTimeoutMsDefault;

    /// <summary>Requested timeouts below this are raised to it. <c>MIN_TASK_TIMEOUT_MS</c>.</summary>
    public long MinTaskTimeoutMs { get; set; } = MinTaskTimeoutMsDefault;

    /// <summary>Requested timeouts above this are lowered to it. <c>MAX_TASK_TIMEOUT_MS</c>.</summary>
    public long MaxTaskTimeoutMs { get; set; } = MaxTaskTimeoutMsDefault;

    /// <summary>Waiting (not yet dispatched) tasks the queue may hold; a submit past it gets 503. <c>MAX_QUEUE_LENGTH</c>.</summary>
    public int MaxQueueLength { get; set; } = MaxQueueLengthDefault;

    /// <summary>How long completed and failed results stay readable after they finish. <c>TASK_RESULT_TTL_MS</c>.</summary>
    public long TaskResultTtlMs { get; set; } = TaskResultTtlMsDefault;

    public TimeoutPolicy Timeouts => new(TaskTimeoutMs, MinTaskTimeoutMs, MaxTaskTimeoutMs);

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate() =>
        MinTaskTimeoutMs > MaxTaskTimeoutMs
            ? [$"MIN_TASK_TIMEOUT_MS ({MinTaskTimeoutMs}) must not be above MAX_TASK_TIMEOUT_MS ({MaxTaskTimeoutMs}) (Dispatcher:MinTaskTimeoutMs, Dispatcher:MaxTaskTimeoutMs)"]
            : [];
}
