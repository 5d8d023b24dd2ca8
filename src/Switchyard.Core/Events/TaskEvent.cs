namespace Switchyard.Core.Events;

/// <summary>
/// One lifecycle event: <c>{seq, type, taskId, correlationId, time, data}</c>. <see cref="Seq"/> is assigned by the bus,
/// increasing on this node; <see cref="Data"/> summarises the task as the move left it. Immutable once published.
/// </summary>
public sealed class TaskEvent(long seq, string type, string taskId, string? correlationId, DateTimeOffset time, TaskSummary data)
{
    private byte[]? _encoded;

    public long Seq { get; } = seq;

    public string Type { get; } = type;

    public string TaskId { get; } = taskId;

    public string? CorrelationId { get; } = correlationId;

    public DateTimeOffset Time { get; } = time;

    public TaskSummary Data { get; } = data;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the bus took the event, for delivery latency.</summary>
    internal long PublishedAt { get; init; }

    /// <summary>The event as a transport sends it, encoded by the first subscriber that needs it and shared by the rest.</summary>
    public byte[] Encoded(Func<TaskEvent, byte[]> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        return Volatile.Read(ref _encoded) ?? Interlocked.CompareExchange(ref _encoded, encode(this), null) ?? _encoded!;
    }

    public override string ToString() => $"{Seq} {Type} {TaskId}";
}
