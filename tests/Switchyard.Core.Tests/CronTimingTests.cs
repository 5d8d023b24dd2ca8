using Switchyard.Core.Model;
using Switchyard.Core.Scheduling;

namespace Switchyard.Core.Tests;

public sealed class CronTimingTests
{
    private static readonly DateTimeOffset Noon = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("*/15 * * * *", "2030-01-01T12:15:00Z")]
    [InlineData("30 */10 * * * *", "2030-01-01T12:00:30Z")]
    [InlineData("@hourly", "2030-01-01T13:00:00Z")]
    [InlineData("  0 0 * * MON  ", "2030-01-07T00:00:00Z")]
    public void Parse_FiveSixFieldsOrMacro_NextAfterIsTheNextMatch(string cron, string next)
    {
        var timing = Parsed(cron, null);

        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), timing.NextAfter(Noon));
    }

    [Theory]
    [InlineData(null, "cron")]
    [InlineData("", "cron")]
    [InlineData("* * * *", "cron")]
    [InlineData("61 * * * *", "cron")]
    [InlineData("* * * * * * *", "cron")]
    [InlineData("@sometimes", "cron")]
    public void Parse_BadExpression_NamesTheCronField(string? cron, string field)
    {
        var parsed = CronTiming.Parse(cron, "UTC");

        Assert.False(parsed.IsSuccess);
        Assert.Equal(ErrorCodes.ValidationFailed, parsed.Error.Code);
        Assert.True(parsed.Error.Errors!.ContainsKey(field));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    public void Parse_UnknownZone_NamesTheTimeZoneField(string zone)
    {
        var parsed = CronTiming.Parse("0 * * * *", zone);

        Assert.False(parsed.IsSuccess);
        Assert.True(parsed.Error.Errors!.ContainsKey("timeZone"));
    }

    [Fact]
    public void NextAfter_InAZone_ReadsTheExpressionInLocalTime()
    {
        var paris = Parsed("0 3 * * *", "Europe/Paris");

        Assert.Equal(new DateTimeOffset(2030, 1, 2, 2, 0, 0, TimeSpan.Zero), paris.NextAfter(Noon));
        Assert.Equal(new DateTimeOffset(2030, 7, 2, 1, 0, 0, TimeSpan.Zero), paris.NextAfter(Noon.AddMonths(6)));
    }

    [Fact]
    public void NextAfter_SpringForwardGap_FiresAtTheTransition()
    {
        var nyc = Parsed("30 2 * * *", "America/New_York");

        Assert.Equal(new DateTimeOffset(2030, 3, 10, 7, 0, 0, TimeSpan.Zero), nyc.NextAfter(new DateTimeOffset(2030, 3, 9, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void NextAfter_FallBackRepeatedHour_FiresOnce()
    {
        var nyc = Parsed("30 1 * * *", "America/New_York");
        var first = nyc.NextAfter(new DateTimeOffset(2030, 11, 2, 12, 0, 0, TimeSpan.Zero))!.Value;

        Assert.Equal(new DateTimeOffset(2030, 11, 3, 5, 30, 0, TimeSpan.Zero), first);
        Assert.Equal(new DateTimeOffset(2030, 11, 4, 6, 30, 0, TimeSpan.Zero), nyc.NextAfter(first));
    }

    [Theory]
    [InlineData("61 * * * *", "'61 * * * *' is not a cron expression: Minutes: Value must be a number between 0 and 59 (all inclusive)")]
    [InlineData("0 25 * * *", "'0 25 * * *' is not a cron expression: Hours: Value must be a number between 0 and 23 (all inclusive)")]
    [InlineData("* * * *", "'* * * *' is not a cron expression: give 5 fields (minute hour day month weekday), 6 (second first) or a macro such as @daily")]
    public void Parse_Refused_SaysWhatIsWrong(string cron, string message)
    {
        var parsed = CronTiming.Parse(cron, null);

        Assert.False(parsed.IsSuccess);
        Assert.Equal(message, parsed.Error.Errors!["cron"].Single());
    }

    [Fact]
    public void Plan_NotDueYet_FiresNothingAndKeepsTheRun()
    {
        var plan = FirePlanner.Plan(Parsed("0 * * * *", null), Noon.AddHours(1), Noon, MissedRunPolicy.All, TimeSpan.FromMinutes(1), 100);

        Assert.Equal(([], false, (DateTimeOffset?)Noon.AddHours(1)), (plan.Fires, plan.DroppedMissed, plan.NextRunAt));
    }

    [Theory]
    [InlineData(MissedRunPolicy.Skip, new int[0], true)]
    [InlineData(MissedRunPolicy.Once, new[] { 3 }, true)]
    [InlineData(MissedRunPolicy.All, new[] { 1, 2, 3 }, false)]
    public void Plan_ThreeRunsMissed_FollowsThePolicy(MissedRunPolicy policy, int[] hours, bool dropped)
    {
        var plan = FirePlanner.Plan(Parsed("0 * * * *", null), Noon.AddHours(1), Noon.AddHours(3.5), policy, TimeSpan.FromMinutes(1), 100);

        Assert.Equal(hours.Select(h => Noon.AddHours(h)), plan.Fires);
        Assert.Equal((dropped, (DateTimeOffset?)Noon.AddHours(4)), (plan.DroppedMissed, plan.NextRunAt));
    }

    [Theory]
    [InlineData(MissedRunPolicy.Skip, new[] { 40, 45, 50 }, true)]
    [InlineData(MissedRunPolicy.Once, new[] { 35, 40, 45, 50 }, true)]
    [InlineData(MissedRunPolicy.All, new[] { 30, 35, 40, 45, 50 }, false)]
    public void Plan_ShortOutageOfAFrequentSchedule_RunsWithinTheGraceAllFire(MissedRunPolicy policy, int[] seconds, bool dropped)
    {
        // Every 5 s; down from :30 to :52 with a 15 s grace: :40, :45 and :50 are on time, :30 and :35 missed.
        var plan = FirePlanner.Plan(Parsed("*/5 * * * * *", null), Noon.AddSeconds(30), Noon.AddSeconds(52), policy, TimeSpan.FromSeconds(15), 100);

        Assert.Equal(seconds.Select(s => Noon.AddSeconds(s)), plan.Fires);
        Assert.Equal((dropped, (DateTimeOffset?)Noon.AddSeconds(55)), (plan.DroppedMissed, plan.NextRunAt));
    }

    [Fact]
    public void Plan_OnceWithAnOnTimeRunDue_FiresTheLatestMissedAndTheOnTimeRun()
    {
        var plan = FirePlanner.Plan(Parsed("0 * * * *", null), Noon, Noon.AddHours(2).AddSeconds(20), MissedRunPolicy.Once, TimeSpan.FromMinutes(1), 100);

        Assert.Equal([Noon.AddHours(1), Noon.AddHours(2)], plan.Fires);
        Assert.True(plan.DroppedMissed);
    }

    [Fact]
    public void Plan_AllBeyondTheCap_KeepsTheNewestRuns()
    {
        var plan = FirePlanner.Plan(Parsed("* * * * *", null), Noon.AddMinutes(1), Noon.AddDays(30), MissedRunPolicy.All, TimeSpan.Zero, 100);

        Assert.Equal(100, plan.Fires.Count);
        Assert.Equal((Noon.AddDays(30).AddMinutes(-99), Noon.AddDays(30)), (plan.Fires[0], plan.Fires[^1]));
        Assert.True(plan.DroppedMissed);
    }

    [Fact]
    public void Plan_SkipLateWithinGrace_FiresTheRun()
    {
        var plan = FirePlanner.Plan(Parsed("0 * * * *", null), Noon.AddHours(1), Noon.AddHours(1).AddSeconds(30), MissedRunPolicy.Skip,
            TimeSpan.FromMinutes(1), 100);

        Assert.Equal([Noon.AddHours(1)], plan.Fires);
        Assert.False(plan.DroppedMissed);
    }

    private static CronTiming Parsed(string cron, string? zone)
    {
        var parsed = CronTiming.Parse(cron, zone);
        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        return parsed.Value;
    }
}
