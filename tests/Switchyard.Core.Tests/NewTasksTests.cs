using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;

namespace Switchyard.Core.Tests;

public sealed class NewTasksTests
{
    private static readonly DateTimeOffset Now = TestTasks.T0;

    private static readonly EngineOptions Options = new();

    private static SubmitTask Valid => new() { Type = "llm.chat" };

    [Fact]
    public void Build_MinimalSpec_FillsDefaults()
    {
        var built = NewTasks.Build(Valid, Options, Now);

        Assert.True(built.IsSuccess);
        var task = built.Value;
        Assert.True(Guid.TryParse(task.Id, out var id));
        Assert.Equal(7, id.Version);
        Assert.Equal("llm.chat", task.Type);
        Assert.Equal(TaskDefaults.Queue, task.Queue);
        Assert.Equal(TaskDefaults.Group, task.Group);
        Assert.Equal(TaskDefaults.Scope, task.Scope);
        Assert.Equal(0, task.Priority);
        Assert.Equal(TaskState.Queued, task.State);
        Assert.Equal(0, task.Attempt);
        Assert.Equal(TaskDefaults.MaxAttempts, task.MaxAttempts);
        Assert.Equal(RetryPolicy.Default, task.Retry);
        Assert.Equal(ReviewMode.None, task.Review);
        Assert.Null(task.TimeoutMs);
        Assert.Null(task.DeadlineAt);
        Assert.Null(task.RunAt);
        Assert.Equal(Now, task.CreatedAt);
        Assert.Equal(Now, task.UpdatedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData(".leading-dot")]
    [InlineData("emoji-\u2603")]
    [InlineData("semi;colon")]
    public void Build_BadType_RefusedNamingType(string type) =>
        AssertRefused(Valid with { Type = type }, "type");

    [Fact]
    public void Build_TypeTooLong_RefusedNamingType()
    {
        AssertRefused(Valid with { Type = new string('a', Names.MaxLength + 1) }, "type");
        Assert.True(NewTasks.Build(Valid with { Type = new string('a', Names.MaxLength) }, Options, Now).IsSuccess);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("queue")]
    [InlineData("group")]
    [InlineData("scope")]
    [InlineData("parentId")]
    public void Build_BadName_RefusedNamingField(string field)
    {
        const string bad = "no spaces allowed";
        var spec = field switch
        {
            "id" => Valid with { Id = bad },
            "queue" => Valid with { Queue = bad },
            "group" => Valid with { Group = bad },
            "scope" => Valid with { Scope = bad },
            _ => Valid with { ParentId = bad },
        };

        AssertRefused(spec, field);
    }

    [Fact]
    public void Build_GoodNames_Kept()
    {
        var spec = Valid with { Id = "job-1", Queue = "gpu.q", Group = "model/llama:70b", Scope = "tenant_1", ParentId = "parent-0" };

        var task = NewTasks.Build(spec, Options, Now).Value!;

        Assert.Equal(("job-1", "gpu.q", "model/llama:70b", "tenant_1", "parent-0"), (task.Id, task.Queue, task.Group, task.Scope, task.ParentId));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    [InlineData(NewTasks.MaxAttemptsLimit, true)]
    [InlineData(NewTasks.MaxAttemptsLimit + 1, false)]
    public void Build_MaxAttempts_BoundsInclusive(int maxAttempts, bool accepted)
    {
        var spec = Valid with { MaxAttempts = maxAttempts };
        if (accepted)
        {
            Assert.Equal(maxAttempts, NewTasks.Build(spec, Options, Now).Value!.MaxAttempts);
        }
        else
        {
            AssertRefused(spec, "maxAttempts");
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void Build_NonPositiveTimeout_RefusedNamingTimeoutMs(long timeoutMs) =>
        AssertRefused(Valid with { TimeoutMs = timeoutMs }, "timeoutMs");

    [Theory]
    [InlineData(10L, 5_000L)]
    [InlineData(120_000L, 120_000L)]
    [InlineData(9_000_000L, 600_000L)]
    [InlineData(null, 60_000L)]
    public void Build_Timeout_NormalisedByPolicyAndDeadlineSet(long? requested, long expected)
    {
        var options = new EngineOptions
        {
            DefaultTimeoutMs = TimeoutPolicy.Dispatcher.DefaultMs,
            MinTimeoutMs = TimeoutPolicy.Dispatcher.MinMs,
            MaxTimeoutMs = TimeoutPolicy.Dispatcher.MaxMs,
        };

        var task = NewTasks.Build(Valid with { TimeoutMs = requested }, options, Now).Value!;

        Assert.Equal(expected, task.TimeoutMs);
        Assert.Equal(Now.AddMilliseconds(expected), task.DeadlineAt);
    }

    [Fact]
    public void Build_TimeoutUnderNativePolicy_ClampedToMinimum()
    {
        var task = NewTasks.Build(Valid with { TimeoutMs = 1 }, Options, Now).Value!;

        Assert.Equal(TimeoutPolicy.Native.MinMs, task.TimeoutMs);
    }

    [Theory]
    [InlineData(-5L, 50L)]
    [InlineData(0L, 50L)]
    [InlineData(70L, 70L)]
    [InlineData(999_999L, 200L)]
    [InlineData(null, 10L)]
    public void Build_OwnTimeoutPolicy_NormalisesWithItInsteadOfTheEngines(long? requested, long expected)
    {
        var task = NewTasks.Build(Valid with { TimeoutMs = requested, Timeouts = new TimeoutPolicy(10, 50, 200) }, Options, Now).Value!;

        Assert.Equal(expected, task.TimeoutMs);
        Assert.Equal(Now.AddMilliseconds(expected), task.DeadlineAt);
    }

    [Fact]
    public void Build_OwnTimeoutPolicyBeyondAYear_RefusedNamingTimeoutMs() =>
        AssertRefused(Valid with { Timeouts = new TimeoutPolicy(null, 0, NewTasks.MaxDelayMs + 1) }, "timeoutMs");

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Build_NonPositiveLease_RefusedNamingLeaseMs(long leaseMs) =>
        AssertRefused(Valid with { LeaseMs = leaseMs }, "leaseMs");

    [Theory]
    [InlineData(1L, EngineOptions.MinLeaseMsDefault)]
    [InlineData(5_000L, 5_000L)]
    [InlineData(long.MaxValue, EngineOptions.MaxLeaseMsDefault)]
    public void Build_Lease_ClampedToEngineBounds(long requested, long expected) =>
        Assert.Equal(expected, NewTasks.Build(Valid with { LeaseMs = requested }, Options, Now).Value!.LeaseMs);

    [Fact]
    public void Build_DependsOn_BlockedWithPolicyAndRejectionLimit()
    {
        var task = NewTasks.Build(Valid with
        {
            DependsOn = ["a", "b"],
            OnDependencyFailure = DependencyFailurePolicy.Ignore,
            MaxRejections = 7,
            DelayMs = 5_000,
        }, Options, Now).Value!;

        Assert.Equal(TaskState.Blocked, task.State);
        Assert.Equal(["a", "b"], task.DependsOn);
        Assert.Equal(DependencyFailurePolicy.Ignore, task.OnDependencyFailure);
        Assert.Equal(7, task.MaxRejections);
        Assert.Equal(Now.AddSeconds(5), task.RunAt);
    }

    [Fact]
    public void Build_NoDependencies_DefaultPolicyFail() =>
        Assert.Equal((DependencyFailurePolicy.Fail, 3), (NewTasks.Build(Valid, Options, Now).Value!.OnDependencyFailure, NewTasks.Build(Valid, Options, Now).Value!.MaxRejections));

    [Theory]
    [InlineData("bad id")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Build_BadDependencyId_RefusedNamingItsIndex(string id) =>
        AssertRefused(Valid with { DependsOn = ["ok", id] }, "dependsOn[1]");

    [Fact]
    public void Build_DuplicateDependency_RefusedNamingIt() =>
        AssertRefused(Valid with { DependsOn = ["x", "x"] }, "dependsOn[1]");

    [Fact]
    public void Build_SelfDependency_Cycle()
    {
        var outcome = NewTasks.Build(Valid with { Id = "me", DependsOn = ["me"] }, Options, Now);

        Assert.Equal(ErrorCodes.DependencyCycle, outcome.Error?.Code);
    }

    [Fact]
    public void Build_TooManyDependencies_Refused() =>
        AssertRefused(Valid with { DependsOn = [.. Enumerable.Range(0, TaskDefaults.MaxDependencies + 1).Select(i => $"d{i}")] }, "dependsOn");

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Build_MaxRejectionsOutOfRange_Refused(int maxRejections) =>
        AssertRefused(Valid with { MaxRejections = maxRejections }, "maxRejections");

    [Fact]
    public void Build_NegativeDelay_RefusedNamingDelayMs() =>
        AssertRefused(Valid with { DelayMs = -1 }, "delayMs");

    [Fact]
    public void Build_RunAtAndDelay_RefusedNamingRunAt() =>
        AssertRefused(Valid with { RunAt = Now.AddMinutes(1), DelayMs = 1_000 }, "runAt");

    [Fact]
    public void Build_PositiveDelay_ScheduledAtNowPlusDelay()
    {
        var task = NewTasks.Build(Valid with { DelayMs = 1_500 }, Options, Now).Value!;

        Assert.Equal(TaskState.Scheduled, task.State);
        Assert.Equal(Now.AddMilliseconds(1_500), task.RunAt);
    }

    [Fact]
    public void Build_ZeroDelay_QueuedWithoutRunAt()
    {
        var task = NewTasks.Build(Valid with { DelayMs = 0 }, Options, Now).Value!;

        Assert.Equal(TaskState.Queued, task.State);
        Assert.Null(task.RunAt);
    }

    [Fact]
    public void Build_RunAtInFuture_Scheduled()
    {
        var task = NewTasks.Build(Valid with { RunAt = Now.AddMinutes(5) }, Options, Now).Value!;

        Assert.Equal(TaskState.Scheduled, task.State);
        Assert.Equal(Now.AddMinutes(5), task.RunAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void Build_RunAtNowOrPast_Queued(int offsetSeconds)
    {
        var task = NewTasks.Build(Valid with { RunAt = Now.AddSeconds(offsetSeconds) }, Options, Now).Value!;

        Assert.Equal(TaskState.Queued, task.State);
    }

    [Fact]
    public void Build_TooManyLabels_RefusedNamingLabels()
    {
        var labels = Enumerable.Range(0, TaskDefaults.MaxLabels + 1).ToDictionary(i => $"k{i}", i => "v");

        AssertRefused(Valid with { Labels = labels }, "labels");
        Assert.True(NewTasks.Build(Valid with { Labels = labels.Take(TaskDefaults.MaxLabels).ToDictionary() }, Options, Now).IsSuccess);
    }

    [Fact]
    public void Build_BadLabelKey_RefusedNamingLabels() =>
        AssertRefused(Valid with { Labels = new Dictionary<string, string> { ["bad key"] = "v" } }, "labels");

    [Fact]
    public void Build_LabelValueTooLong_RefusedNamingTheLabel()
    {
        var tooLong = new Dictionary<string, string> { ["team"] = new string('x', NewTasks.MaxLabelValueLength + 1) };
        var longest = new Dictionary<string, string> { ["team"] = new string('x', NewTasks.MaxLabelValueLength) };

        AssertRefused(Valid with { Labels = tooLong }, "labels.team");
        Assert.Equal(longest, NewTasks.Build(Valid with { Labels = longest }, Options, Now).Value!.Labels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(NewTasks.MaxKeyLength + 1)]
    public void Build_IdempotencyKeyLength_RefusedNamingIdempotencyKey(int length) =>
        AssertRefused(Valid with { IdempotencyKey = new string('k', length) }, "idempotencyKey");

    [Theory]
    [InlineData(0)]
    [InlineData(NewTasks.MaxKeyLength + 1)]
    public void Build_CorrelationIdLength_RefusedNamingCorrelationId(int length) =>
        AssertRefused(Valid with { CorrelationId = new string('c', length) }, "correlationId");

    [Fact]
    public void Build_BadRetry_RefusedNamingRetry() =>
        AssertRefused(Valid with { Retry = new RetrySpec(BackoffKind.Exponential, 1_000, 10_000, 0.5, 0) }, "retry");

    [Fact]
    public void Build_GoodRetry_Kept()
    {
        var task = NewTasks.Build(Valid with { Retry = new RetrySpec(BackoffKind.Fixed, 250, null, null, 0) }, Options, Now).Value!;

        Assert.Equal(BackoffKind.Fixed, task.Retry.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(250), task.Retry.BaseDelay);
        Assert.Equal(RetryPolicy.Default.MaxDelay, task.Retry.MaxDelay);
        Assert.Equal(0, task.Retry.Jitter);
    }

    [Fact]
    public void Build_FieldPrefix_PrefixesErrorKey()
    {
        var built = NewTasks.Build(Valid with { Queue = "bad queue" }, Options, Now, "tasks[3].");

        Assert.False(built.IsSuccess);
        Assert.Equal("tasks[3].queue", Assert.Single(built.Error.Errors!.Keys));
        Assert.StartsWith("tasks[3].queue", built.Error.Message, StringComparison.Ordinal);
    }

    private static void AssertRefused(SubmitTask spec, string field)
    {
        var built = NewTasks.Build(spec, Options, Now);

        Assert.False(built.IsSuccess, $"expected {field} to be refused");
        Assert.Equal(ErrorCodes.ValidationFailed, built.Error.Code);
        Assert.NotNull(built.Error.Errors);
        Assert.Equal(field, Assert.Single(built.Error.Errors.Keys));
        Assert.StartsWith(field + ":", built.Error.Message, StringComparison.Ordinal);
    }
}
