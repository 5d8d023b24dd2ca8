namespace Switchyard.Cli.Worker;

/// <summary>How one task ended for this worker.</summary>
internal enum TaskOutcome
{
    /// <summary>The command succeeded and the task completed.</summary>
    Completed,

    /// <summary>The command succeeded and the result waits for review.</summary>
    Review,

    /// <summary>The command failed; the task will run again.</summary>
    Retrying,

    /// <summary>The command failed and the task failed for good.</summary>
    Failed,

    /// <summary>The task was cancelled; the command was killed.</summary>
    Cancelled,

    /// <summary>The lease was lost (expired or taken over); the command was killed and nothing reported.</summary>
    LeaseLost,

    /// <summary>The worker stopped before the command finished; the command was killed and the task failed retryable.</summary>
    Abandoned,

    /// <summary>The outcome could not be reported to the server.</summary>
    Unreported,
}
