using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;
using Switchyard.Core.Types;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.Tests;

/// <summary>Pins the wire shapes: a change here must be deliberate (update the file under Snapshots/).</summary>
public sealed class ContractSnapshotTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly DateTimeOffset At = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TaskDto_FullTask_MatchesSnapshot()
    {
        var task = new TaskRecord
        {
            Id = "01a20552-7a78-7b28-8ff8-1befddbcfd66",
            Type = "llm.chat",
            Queue = "default",
            Group = "gpt-4o",
            Priority = 5,
            State = TaskState.Running,
            Payload = new JsonText("""{"messages":[]}"""),
            Error = new TaskError("rate_limited", "slow down", ErrorKind.Retryable),
            Attempt = 2,
            MaxAttempts = 3,
            Retry = RetryPolicy.Default,
            TimeoutMs = 60_000,
            DeadlineAt = At.AddMinutes(1),
            CorrelationId = "conv-1",
            IdempotencyKey = "k-1",
            DependsOn = ["01a20552-7a78-7b28-8ff8-000000000001"],
            OnDependencyFailure = DependencyFailurePolicy.Cancel,
            Progress = new TaskProgress(40, "thinking", null),
            Labels = new Dictionary<string, string> { ["team"] = "ml" },
            Lease = new Lease("w1", 17, At.AddSeconds(30)),
            CreatedAt = At,
            UpdatedAt = At,
            StartedAt = At,
        };
        Matches("task.json", JsonSerializer.Serialize(task.ToDto(), ContractsJsonContext.Default.TaskDto));
    }

    [Fact]
    public void ProblemDto_ValidationError_MatchesSnapshot()
    {
        var problem = Problems.ToDto(OperationError.Validation("maxAttempts", "must be between 1 and 1000"));
        Matches("problem.json", JsonSerializer.Serialize(problem, ContractsJsonContext.Default.ProblemDto));
    }

    [Fact]
    public void TaskTypeDto_FullDefinition_MatchesSnapshot()
    {
        var definition = new TaskTypeDefinition
        {
            Type = "llm.chat",
            Description = "Chat completion",
            PayloadSchema = new JsonText("""{"type":"object","required":["messages"]}"""),
            Defaults = new TaskTypeDefaults
            {
                Queue = "llm",
                Group = "gpt-4o",
                Priority = 5,
                TimeoutMs = 60_000,
                LeaseMs = 20_000,
                MaxAttempts = 4,
                Retry = new RetrySpec(BackoffKind.Exponential, 1_000, 30_000, 2, 0.2),
                Review = ReviewMode.Required,
            },
            Concurrency = 8,
            EstimatedDurationMs = 2_500,
            Source = TaskTypeSource.File,
            UpdatedAt = At,
        };
        Matches("task-type.json", JsonSerializer.Serialize(definition.ToDto(), ContractsJsonContext.Default.TaskTypeDto));
    }

    [Fact]
    public void QueueDto_WithSettings_MatchesSnapshot()
    {
        var stats = new QueueStats("llm", TaskStates.All.ToDictionary(s => s, s => s == TaskState.Queued ? 3L : 0L));
        var settings = new QueueSettings
        {
            Queue = "llm",
            Paused = true,
            MaxLength = 1_000,
            MaxRunning = 4,
            Rate = new RateLimit(10, 1_000),
            GroupRates = new Dictionary<string, RateLimit> { ["gpt-4o"] = new(60, 60_000) },
            ScopeWeights = new Dictionary<string, int> { ["acme"] = 3 },
            GroupWeights = new Dictionary<string, int> { ["gpt-4o"] = 2 },
            UpdatedAt = At,
        };
        Matches("queue.json", JsonSerializer.Serialize(stats.ToDto(settings, 1_000), ContractsJsonContext.Default.QueueDto));
    }

    [Fact]
    public void ScheduleDto_FullSchedule_MatchesSnapshot()
    {
        var schedule = new Core.Scheduling.Schedule
        {
            Id = "nightly-vacuum",
            Cron = "0 3 * * *",
            TimeZone = "Europe/Paris",
            Template = new Core.Engine.SubmitTask
            {
                Type = "db.maintenance",
                Group = "system",
                Payload = new JsonText("""{"operation":"vacuum"}"""),
                Labels = new Dictionary<string, string> { ["team"] = "ops" },
            },
            MissedRuns = Core.Scheduling.MissedRunPolicy.Once,
            NextRunAt = At.AddHours(14),
            LastRunAt = At.AddHours(-10),
            LastTaskId = "01a20552-7a78-7b28-8ff8-1befddbcfd66",
            CreatedAt = At.AddDays(-1),
            UpdatedAt = At.AddHours(-10),
        };
        Matches("schedule.json", JsonSerializer.Serialize(schedule.ToDto(), ContractsJsonContext.Default.ScheduleDto));
    }

    [Fact]
    public void WorkerDto_NativeWorker_MatchesSnapshot()
    {
        var worker = new WorkerDto(
            "w1a2b3c4d", "gpu-1", "switchyard/1", ["default"], ["llama-3-8b"], ["llm.chat"], false, At, 3,
            ["01a20552-7a78-7b28-8ff8-1befddbcfd66"], "switchyard-dotnet/1");
        Matches("worker.json", JsonSerializer.Serialize(worker, ContractsJsonContext.Default.WorkerDto));
    }

    [Fact]
    public void WorkerDto_AnotherNodesWorker_MatchesSnapshot()
    {
        var worker = new WorkerDto(
            "w7-9f8e7d6c", "gpu-2", "switchyard/1", ["default"], ["llama-3-8b"], ["llm.chat"], true, At,
            Version: "switchyard-dotnet/1", Node: "node-b");
        Matches("worker-remote.json", JsonSerializer.Serialize(worker, ContractsJsonContext.Default.WorkerDto));
    }

    private static void Matches(string name, string actual)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Snapshots", name);
        var expected = File.Exists(path) ? File.ReadAllText(path).Trim() : "(missing snapshot)";
        var pretty = JsonSerializer.Serialize(JsonDocument.Parse(actual).RootElement, Indented);
        if (expected != pretty)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(Path.ChangeExtension(path, ".received.json"), pretty + "\n");
        }

        Assert.True(expected == pretty, $"Wire shape of {name} changed. Actual:\n{pretty}");
    }
}
