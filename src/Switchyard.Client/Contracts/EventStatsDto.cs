namespace Switchyard.Client.Contracts;

/// <summary><c>GET /api/v1/events/stats</c>: the event bus's ring, what it published, its subscribers and delivery latency.</summary>
public sealed record EventStatsDto(
    int Capacity,
    long FirstSeq,
    long LastSeq,
    long OldestSeq,
    IReadOnlyDictionary<string, long> Published,
    long DroppedSubscribers,
    long LostEvents,
    LatencyDto DeliveryLatency,
    IReadOnlyList<EventSubscriberDto> Subscribers);
