using Switchyard.Core.Queues;

namespace Switchyard.Storage.Postgres;

/// <summary>The running counts one claim read under its locks, plus what it has started since.</summary>
internal sealed class PgRunningCounts : IRunningCounts
{
    public Dictionary<string, long> Queues { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Types { get; } = new(StringComparer.Ordinal);

    public long RunningIn(string queue) => Queues.GetValueOrDefault(queue);

    public long RunningOf(string type) => Types.GetValueOrDefault(type);

    public void Started(string queue, string type)
    {
        Queues[queue] = RunningIn(queue) + 1;
        Types[type] = RunningOf(type) + 1;
    }
}
