namespace Switchyard.Core.Events;

/// <summary>
/// One subscriber's cursor over the bus's ring, read by one reader: wait with <see cref="WaitToReadAsync"/>, then
/// take what is there with <see cref="TryRead"/>. A resume from a point older than the ring first yields a
/// <see cref="EventNotice.Lost"/> notice; a reader that falls more than the ring behind gets a
/// <see cref="EventNotice.Dropped"/> notice and nothing after it. Dispose to unsubscribe.
/// </summary>
public sealed class TaskEventSubscription : IDisposable
{
    private readonly TaskEventHub _hub;
    private readonly CancellationTokenSource _stalled = new();
    private EventNotice? _notice;
    private long _next;
    private long _delivered;
    private readonly long _liveFrom;
    private bool _readSinceWait;
    private volatile bool _completed;

    internal TaskEventSubscription(TaskEventHub hub, long id, EventFilter filter, string transport, long? afterSeq)
    {
        _hub = hub;
        Id = id;
        Filter = filter;
        Transport = transport;
        ConnectedAt = hub.Time.GetUtcNow();
        _next = hub.LastSeq + 1;
        _liveFrom = _next; // events before it are replayed for a resume: their age is not delivery latency
        if (afterSeq is { } after)
        {
            Resume(after);
        }

    }

    public long Id { get; }

    public EventFilter Filter { get; }

    /// <summary>Who reads: <c>sse</c>, <c>ws</c> or <c>in-process</c>.</summary>
    public string Transport { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The last event this reader passed (delivered or filtered out): resume after it.</summary>
    public long Position => Volatile.Read(ref _next) - 1;

    /// <summary>Events published but not yet passed by this reader (of every type): its depth in the ring.</summary>
    public long Lag => Math.Max(0, _hub.LastSeq - Volatile.Read(ref _next) + 1);

    /// <summary>Events handed to the reader (those its filter let through).</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    /// <summary>True once the subscription ended (dropped and told, or disposed): nothing more will come.</summary>
    public bool IsCompleted => _completed && _notice is null;

    /// <summary>Cancelled when the bus finds this reader more than the ring behind; its transport should close.</summary>
    public CancellationToken Stalled => _stalled.Token;

    /// <summary>
    /// Waits until <see cref="TryRead"/> has something, the subscription ended (true: read to see), or
    /// <paramref name="timeout"/> passed (false). Measures delivery latency as the age of the first event found waiting.
    /// </summary>
    public async Task<bool> WaitToReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _readSinceWait = false;
        while (true)
        {
            if (HasItem())
            {
                return true;
            }

            var arrived = _hub.Arrived.Task;
            _hub.Sleeping();
            try
            {
                if (HasItem())
                {
                    return true;
                }

                await arrived.WaitAsync(timeout, _hub.Time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return false;
            }
            finally
            {
                _hub.Awake();
            }
        }
    }

    /// <summary>Takes the next notice or matching event, if one is there.</summary>
    public bool TryRead(out EventDelivery item)
    {
        if (_notice is { } notice)
        {
            _notice = null;
            item = EventDelivery.Of(notice);
            return true;
        }

        while (!_completed)
        {
            var seq = _next;
            var slot = _hub.Slot(seq);
            if (slot is null || slot.Seq < seq)
            {
                break;
            }

            if (slot.Seq > seq)
            {
                item = EventDelivery.Of(Drop(seq));
                return true;
            }

            Volatile.Write(ref _next, seq + 1);
            if (Filter.Matches(slot))
            {
                Deliver(slot);
                item = EventDelivery.Of(slot);
                return true;
            }
        }

        item = default;
        return false;
    }

    /// <summary>Every item until the subscription ends or <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<EventDelivery> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!IsCompleted)
        {
            while (TryRead(out var item))
            {
                yield return item;
            }

            if (!IsCompleted)
            {
                await WaitToReadAsync(Timeout.InfiniteTimeSpan, cancellationToken);
            }
        }
    }

    public void Dispose()
    {
        _completed = true;
        _hub.Remove(this);
        _stalled.Dispose();
    }

    internal bool MarkStalled()
    {
        if (_completed || _stalled.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            _stalled.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private bool HasItem()
    {
        if (_notice is not null || _completed)
        {
            return true;
        }

        var seq = _next;
        return _hub.Slot(seq) is { } slot && slot.Seq >= seq;
    }

    private void Deliver(TaskEvent taskEvent)
    {
        Volatile.Write(ref _delivered, _delivered + 1);
        if (!_readSinceWait && taskEvent.Seq >= _liveFrom)
        {
            _readSinceWait = true;
            _hub.Metrics.Delivered(_hub.Time.GetElapsedTime(taskEvent.PublishedAt), Transport);
        }
    }

    private void Resume(long after)
    {
        var requested = after + 1;
        var last = _hub.LastSeq;
        var oldest = _hub.OldestSeq;
        if (requested >= oldest && requested <= last + 1)
        {
            _next = requested;
            return;
        }

        var ours = requested >= _hub.FirstSeq && requested <= last + 1;
        if (!ours && _hub.Shared)
        {
            // Another node's number (a stream resumed through a load balancer) or this node's before a restart: the
            // ring holds events the subscriber may have had from that node under other numbers, so none are replayed.
            _notice = new EventNotice(EventNotice.Lost, last, requested, last + 1, null, null,
                $"Events may have been lost: event {after} is not one of this node's (it came from another node, or from " +
                $"this one before it restarted); continuing with the events from {last + 1} on. Read the tasks you follow " +
                "again to catch up.");
            return;
        }

        long? missed = ours ? oldest - requested : null;
        var why = missed is { } m
            ? $"{m} events after {after} are no longer held (the ring keeps {_hub.Capacity})"
            : $"event {after} is not one this node holds (before its start, or from another node)";
        _notice = new EventNotice(EventNotice.Lost, oldest - 1, requested, oldest, missed, null,
            $"Events were lost: {why}; continuing from {oldest}.");
        _hub.Metrics.Lost(missed ?? 0);
        _next = oldest;
    }

    private EventNotice Drop(long seq)
    {
        _completed = true;
        var behind = _hub.LastSeq - seq + 1;
        _hub.Metrics.Dropped();
        return new EventNotice(EventNotice.Dropped, seq - 1, seq, null, null, behind,
            $"This subscriber fell {behind} events behind, more than the {_hub.Capacity} the ring keeps, and was dropped; " +
            $"resume after {seq - 1} to learn what was lost.");
    }
}
