namespace Switchyard.Core.Model;

/// <summary>What causes a move between states; its name is the history row's event.</summary>
public enum TaskTrigger
{
    /// <summary>A new task enters the engine.</summary>
    Submit,

    /// <summary>runAt reached.</summary>
    Promote,

    /// <summary>Every dependency completed.</summary>
    Release,

    /// <summary>A dependency failed or was cancelled.</summary>
    DependencyFailed,

    /// <summary>A worker claimed the task and holds a lease.</summary>
    Claim,

    /// <summary>The worker reported a result.</summary>
    Complete,

    /// <summary>The worker reported an error.</summary>
    Fail,

    /// <summary>The lease ran out without a heartbeat.</summary>
    LeaseExpired,

    /// <summary>The task's deadline (timeoutMs from submission) passed.</summary>
    Deadline,

    /// <summary>A reviewer accepted the held result.</summary>
    Accept,

    /// <summary>A reviewer rejected the held result.</summary>
    Reject,

    /// <summary>A client cancelled the task.</summary>
    Cancel,

    /// <summary>A client asked to run a failed or cancelled task again.</summary>
    Retry,
}
