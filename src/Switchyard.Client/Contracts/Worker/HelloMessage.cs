using System.Text;

namespace Switchyard.Client.Contracts.Worker;

/// <summary>
/// Worker → server, first frame. Where the worker takes work from, how many tasks it runs at once
/// (<c>capacity</c>: its initial credits), and, when the upgrade carried no key header, the API key.
/// A worker that reconnects lists in <see cref="Abandoned"/> the tasks it stopped when its last connection
/// dropped, so the server hands them to their retry policy at once rather than when their leases run out.
/// </summary>
public sealed record HelloMessage : WorkerMessage
{
    /// <summary>The most tasks a hello may report in <see cref="Abandoned"/>.</summary>
    public const int MaxAbandoned = 1000;

    public string? Name { get; init; }
    public IReadOnlyList<string>? Queues { get; init; }
    public IReadOnlyList<string>? Groups { get; init; }
    public IReadOnlyList<string>? Types { get; init; }
    public int? Capacity { get; init; }
    public long? LeaseMs { get; init; }
    public string? Version { get; init; }

    /// <summary>Tasks (with the lease tokens they were held by) the worker stopped when its previous connection dropped.</summary>
    public IReadOnlyList<LeaseRef>? Abandoned { get; init; }

    /// <summary>The API key, for a worker that cannot send it in the upgrade's headers (a browser); never logged.</summary>
    public string? ApiKey { get; init; }

    /// <summary>What <see cref="object.ToString"/> shows: every field, the key only as whether one was given.</summary>
    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (base.PrintMembers(builder))
        {
            builder.Append(", ");
        }

        builder.Append($"Name = {Name}, Queues = [{Join(Queues)}], Groups = [{Join(Groups)}], Types = [{Join(Types)}], ");
        builder.Append($"Capacity = {Capacity}, LeaseMs = {LeaseMs}, Version = {Version}, Abandoned = [{string.Join(", ", Abandoned ?? [])}], ");
        builder.Append($"ApiKey = {(ApiKey is null ? "none" : "given")}");
        return true;
    }

    private static string Join(IReadOnlyList<string>? values) => values is null ? string.Empty : string.Join(", ", values);
}
