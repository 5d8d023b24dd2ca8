using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Types;

namespace Switchyard.Core.Tests;

public sealed class TaskTypeRulesTests
{
    private static readonly EngineOptions Options = new();

    private static Task<OperationError?> Check(TaskTypeDefinition definition, string prefix = "") =>
        TaskTypeRules.CheckAsync(definition, Options, TestTasks.T0, prefix, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Check_FullDefinition_Accepted()
    {
        var problem = await Check(new TaskTypeDefinition
        {
            Type = "fs.scan",
            Description = "Scans a folder",
            PayloadSchema = new JsonText("""{"type": "object"}"""),
            Defaults = new TaskTypeDefaults { Queue = "io", MaxAttempts = 2, TimeoutMs = 5_000 },
            Concurrency = 2,
            EstimatedDurationMs = 1_500,
        });

        Assert.Null(problem);
    }

    [Theory]
    [InlineData("type")]
    [InlineData("concurrency")]
    [InlineData("estimatedDurationMs")]
    [InlineData("description")]
    [InlineData("defaults.queue")]
    [InlineData("defaults.maxAttempts")]
    [InlineData("defaults.timeoutMs")]
    [InlineData("defaults.retry")]
    [InlineData("payloadSchema")]
    public async Task Check_BadField_RefusalNamesIt(string field)
    {
        var ok = new TaskTypeDefinition { Type = "t" };
        var bad = field switch
        {
            "type" => ok with { Type = "no spaces" },
            "concurrency" => ok with { Concurrency = 0 },
            "estimatedDurationMs" => ok with { EstimatedDurationMs = -1 },
            "description" => ok with { Description = new string('d', TaskTypeRules.MaxDescriptionLength + 1) },
            "defaults.queue" => ok with { Defaults = new TaskTypeDefaults { Queue = "bad queue" } },
            "defaults.maxAttempts" => ok with { Defaults = new TaskTypeDefaults { MaxAttempts = 0 } },
            "defaults.timeoutMs" => ok with { Defaults = new TaskTypeDefaults { TimeoutMs = -5 } },
            "defaults.retry" => ok with { Defaults = new TaskTypeDefaults { Retry = new RetrySpec(null, 5_000, 1_000, null, null) } },
            _ => ok with { PayloadSchema = new JsonText("[]") },
        };

        var problem = await Check(bad, "types[1].");

        Assert.NotNull(problem);
        Assert.Equal(ErrorCodes.ValidationFailed, problem.Code);
        Assert.Equal("types[1]." + field, Assert.Single(problem.Errors!).Key);
    }

    [Fact]
    public async Task Check_DescriptionWithNul_Refused()
    {
        var problem = await Check(new TaskTypeDefinition { Type = "t", Description = "scans\0" }, "");

        Assert.Equal(("description", "must not contain the NUL character (U+0000)"), (Assert.Single(problem!.Errors!).Key, problem.Errors!["description"][0]));
    }
}
