using Switchyard.Core.Model;
using Switchyard.Core.Queues;

namespace Switchyard.Core.Tests;

public sealed class QueueSettingsPatchTests
{
    private static readonly QueueSettings Current = new()
    {
        Queue = "q",
        MaxRunning = 4,
        Rate = new RateLimit(10, 1_000),
        GroupRates = new Dictionary<string, RateLimit> { ["a"] = new(1, 1_000), ["b"] = new(2, 1_000) },
        ScopeWeights = new Dictionary<string, int> { ["acme"] = 3 },
    };

    [Fact]
    public void ApplyTo_UnsetFields_Stay()
    {
        var patched = new QueueSettingsPatch { Paused = Patch<bool>.Set(true) }.ApplyTo(Current);

        Assert.Equal(Current with { Paused = true }, patched);
    }

    [Fact]
    public void ApplyTo_NullValues_Clear()
    {
        var patched = new QueueSettingsPatch
        {
            MaxRunning = Patch<int?>.Set(null),
            Rate = Patch<RateLimit?>.Set(null),
            ScopeWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(null),
        }.ApplyTo(Current);

        Assert.Null(patched.MaxRunning);
        Assert.Null(patched.Rate);
        Assert.Empty(patched.ScopeWeights);
        Assert.Equal(2, patched.GroupRates.Count);
    }

    [Fact]
    public void ApplyTo_MapEntries_MergeKeyByKey()
    {
        var patched = new QueueSettingsPatch
        {
            GroupRates = Patch<IReadOnlyDictionary<string, RateLimit?>?>.Set(
                new Dictionary<string, RateLimit?> { ["a"] = null, ["c"] = new(5, 60_000) }),
        }.ApplyTo(Current);

        Assert.Equal(["b", "c"], patched.GroupRates.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new RateLimit(5, 60_000), patched.GroupRates["c"]);
    }

    [Theory]
    [InlineData("maxLength")]
    [InlineData("maxRunning")]
    [InlineData("rate")]
    [InlineData("groupRates.gpu")]
    [InlineData("scopeWeights.acme")]
    [InlineData("groupWeights")]
    public void Check_BadValue_NamesTheField(string field)
    {
        var patch = field switch
        {
            "maxLength" => new QueueSettingsPatch { MaxLength = Patch<int?>.Set(-1) },
            "maxRunning" => new QueueSettingsPatch { MaxRunning = Patch<int?>.Set(0) },
            "rate" => new QueueSettingsPatch { Rate = Patch<RateLimit?>.Set(new RateLimit(1, 0)) },
            "groupRates.gpu" => new QueueSettingsPatch
            {
                GroupRates = Patch<IReadOnlyDictionary<string, RateLimit?>?>.Set(new Dictionary<string, RateLimit?> { ["gpu"] = new(0, 10) }),
            },
            "scopeWeights.acme" => new QueueSettingsPatch
            {
                ScopeWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(new Dictionary<string, int?> { ["acme"] = 0 }),
            },
            _ => new QueueSettingsPatch
            {
                GroupWeights = Patch<IReadOnlyDictionary<string, int?>?>.Set(new Dictionary<string, int?> { ["bad key"] = 2 }),
            },
        };

        var problem = patch.Check();

        Assert.NotNull(problem);
        Assert.Equal(ErrorCodes.ValidationFailed, problem.Code);
        Assert.Equal(field, Assert.Single(problem.Errors!).Key);
    }

    [Fact]
    public void Check_ClearingValues_Accepted() =>
        Assert.Null(new QueueSettingsPatch { MaxRunning = Patch<int?>.Set(null), MaxLength = Patch<int?>.Set(0) }.Check());
}
