namespace Switchyard.Core.Queues;

/// <summary>How many tasks run now, per queue and per type: a store keeps these as it applies moves.</summary>
public interface IRunningCounts
{
    long RunningIn(string queue);

    long RunningOf(string type);
}
