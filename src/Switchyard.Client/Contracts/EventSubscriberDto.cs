namespace Switchyard.Client.Contracts;

/// <summary>One subscriber of the event bus: transport (<c>sse</c>, <c>ws</c>, <c>in-process</c>), filter, lag (events waiting for it), events delivered.</summary>
public sealed record EventSubscriberDto(long Id, string Transport, string Filter, DateTimeOffset ConnectedAt, long Lag, long Delivered);
