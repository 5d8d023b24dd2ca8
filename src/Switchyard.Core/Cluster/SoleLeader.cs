namespace Switchyard.Core.Cluster;

/// <summary>The leadership of a node alone on its store: it holds every role, for good.</summary>
public sealed class SoleLeader : ILeadership
{
    public static SoleLeader Instance { get; } = new();

    public IReadOnlyList<string> Held => LeaderRoles.All;

    public Task Changed { get; } = new TaskCompletionSource().Task;

    public bool Holds(string role) => true;
}
