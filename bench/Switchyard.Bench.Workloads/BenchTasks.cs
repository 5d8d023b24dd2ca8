using System.Globalization;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Bench.Workloads;

/// <summary>The bench's tasks: type <c>noop</c>, payload the integer <c>i</c>, result <c>i + 1</c>.</summary>
public static class BenchTasks
{
    public const string Type = "noop";

    /// <summary>The queue the workloads use.</summary>
    public const string Queue = "bench";

    /// <summary>The queue of the untimed warm-up before each run, so the workloads' counts start at zero.</summary>
    public const string WarmupQueue = "warmup";

    public static SubmitTaskRequest Task(string queue, int i) => new()
    {
        Type = Type,
        Queue = queue,
        Payload = new JsonText(i.ToString(CultureInfo.InvariantCulture)),
    };

    /// <summary>The no-op's work: <c>i + 1</c> for a payload <c>i</c>.</summary>
    public static JsonText Result(JsonText payload) =>
        new((long.Parse(payload.Raw, NumberStyles.Integer, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether <paramref name="result"/> is what the no-op returns for <paramref name="i"/>.</summary>
    public static bool IsResultOf(JsonText? result, int i) =>
        result is { Raw: { } raw } && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value == i + 1L;
}
