namespace Switchyard.Core.Maintenance;

/// <summary>How often each maintenance job sweeps, and how many tasks one sweep may move.</summary>
public sealed class MaintenanceOptions
{
    public const string Section = "Maintenance";
    public const int LeaseSweepMsDefault = 500;
    public const int ScheduleSweepMsDefault = 200;
    public const int DeadlineSweepMsDefault = 200;
    public const int RetentionSweepMsDefault = 60_000;
    public const int BatchSizeDefault = 1_000;

    public int LeaseSweepMs { get; set; } = LeaseSweepMsDefault;
    public int ScheduleSweepMs { get; set; } = ScheduleSweepMsDefault;
    public int DeadlineSweepMs { get; set; } = DeadlineSweepMsDefault;
    public int RetentionSweepMs { get; set; } = RetentionSweepMsDefault;
    public int BatchSize { get; set; } = BatchSizeDefault;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[]
                 {
                     (nameof(LeaseSweepMs), LeaseSweepMs), (nameof(ScheduleSweepMs), ScheduleSweepMs),
                     (nameof(DeadlineSweepMs), DeadlineSweepMs), (nameof(RetentionSweepMs), RetentionSweepMs),
                 })
        {
            if (value < 10)
            {
                problems.Add($"{name} must be at least 10 ms");
            }
        }

        if (BatchSize < 1)
        {
            problems.Add("BatchSize must be at least 1");
        }

        return problems;
    }
}
