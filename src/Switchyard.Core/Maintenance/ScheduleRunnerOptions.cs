namespace Switchyard.Core.Maintenance;

/// <summary>How the <see cref="ScheduleRunner"/> fires recurring schedules; bound from <c>Schedules</c>.</summary>
public sealed class ScheduleRunnerOptions
{
    public const string Section = "Schedules";
    public const int SweepMsDefault = 1_000;
    public const int BatchSizeDefault = 100;
    public const long MisfireGraceMsDefault = 60_000;
    public const int MaxCatchUpRunsDefault = 100;
    public const int MaxCatchUpRunsLimit = 10_000;

    /// <summary>How often due schedules are looked for.</summary>
    public int SweepMs { get; set; } = SweepMsDefault;

    /// <summary>Schedules fired per sweep; a full sweep runs again at once.</summary>
    public int BatchSize { get; set; } = BatchSizeDefault;

    /// <summary>How late a run may fire and still count as on time; later runs were missed and follow the schedule's policy.</summary>
    public long MisfireGraceMs { get; set; } = MisfireGraceMsDefault;

    /// <summary>Most missed runs a schedule with <c>missedRuns: all</c> fires at once; older ones are dropped.</summary>
    public int MaxCatchUpRuns { get; set; } = MaxCatchUpRunsDefault;

    public TimeSpan MisfireGrace => TimeSpan.FromMilliseconds(MisfireGraceMs);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (SweepMs < 10)
        {
            problems.Add("SweepMs must be at least 10 ms");
        }

        if (BatchSize < 1)
        {
            problems.Add("BatchSize must be at least 1");
        }

        if (MisfireGraceMs < 0)
        {
            problems.Add("MisfireGraceMs must not be negative");
        }

        if (MaxCatchUpRuns is < 1 or > MaxCatchUpRunsLimit)
        {
            problems.Add($"MaxCatchUpRuns must be between 1 and {MaxCatchUpRunsLimit}");
        }

        return problems;
    }
}
