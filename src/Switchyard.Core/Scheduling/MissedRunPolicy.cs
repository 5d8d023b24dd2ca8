namespace Switchyard.Core.Scheduling;

/// <summary>What a schedule does with runs whose time passed while nothing fired them (the server was down).</summary>
public enum MissedRunPolicy
{
    /// <summary>Drop missed runs: only a run at most the grace late fires, then the next future one.</summary>
    Skip,

    /// <summary>One catch-up run, however many were missed.</summary>
    Once,

    /// <summary>Every missed run, oldest first, up to the runner's catch-up cap (the newest ones are kept).</summary>
    All,
}
