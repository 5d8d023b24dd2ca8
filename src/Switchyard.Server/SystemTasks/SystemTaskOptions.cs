namespace Switchyard.Server.SystemTasks;

/// <summary>How the server runs its own system tasks (<c>db.maintenance</c>); bound from <c>SystemTasks</c>.</summary>
public sealed class SystemTaskOptions
{
    public const string Section = "SystemTasks";
    public const string Group = "system";
    public const string WorkerId = "switchyard-server";
    public const string ExportFolder = "exports";
    public const long LeaseMsDefault = 600_000;
    public const long ClaimWaitMsDefault = 30_000;

    /// <summary>Whether the server takes <c>db.maintenance</c> tasks at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Queues the server takes its system tasks from.</summary>
    public List<string> Queues { get; set; } = [];

    /// <summary>Lease of a running system task; a vacuum holds the store's writer, so it is long.</summary>
    public long LeaseMs { get; set; } = LeaseMsDefault;

    /// <summary>How long each claim waits for a system task to arrive.</summary>
    public long ClaimWaitMs { get; set; } = ClaimWaitMsDefault;

    /// <summary>The configured queues, or <c>default</c> and <c>system</c> when none are.</summary>
    public IReadOnlyList<string> QueuesOrDefault => Queues.Count > 0 ? Queues : ["default", "system"];

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (QueuesOrDefault.Any(q => !Core.Engine.Names.IsValid(q)))
        {
            problems.Add($"every queue {Core.Engine.Names.Rule}");
        }

        if (LeaseMs < 1_000)
        {
            problems.Add("LeaseMs must be at least 1000");
        }

        if (ClaimWaitMs < 0)
        {
            problems.Add("ClaimWaitMs must not be negative");
        }

        return problems;
    }
}
