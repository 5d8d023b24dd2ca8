namespace Switchyard.Core.Events;

/// <summary>One subscriber as the bus sees it: how it reads, its filter, how far behind it is, what it was given.</summary>
public sealed record SubscriberStats(long Id, string Transport, string Filter, DateTimeOffset ConnectedAt, long Lag, long Delivered);
