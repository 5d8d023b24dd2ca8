using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Switchyard.Core.Events;

/// <summary>
/// The in-process event bus. Publishing never blocks: each subscriber has a bounded buffer, and a
/// subscriber whose buffer is full loses the event and is told how many it lost.
/// </summary>
public sealed class TaskEventHub
{
    public const int DefaultBufferSize = 10_000;

    private readonly ConcurrentDictionary<long, Subscription> _subscribers = new();
    private long _nextSubscriber;
    private long _published;

    public int SubscriberCount => _subscribers.Count;

    public long Published => Interlocked.Read(ref _published);

    public void Publish(TaskEvent taskEvent)
    {
        Interlocked.Increment(ref _published);
        foreach (var subscription in _subscribers.Values)
        {
            subscription.Offer(taskEvent);
        }
    }

    /// <summary>Subscribes to every event from now on; dispose the subscription to stop.</summary>
    public Subscription Subscribe(int bufferSize = DefaultBufferSize)
    {
        var id = Interlocked.Increment(ref _nextSubscriber);
        var subscription = new Subscription(this, id, bufferSize);
        _subscribers[id] = subscription;
        return subscription;
    }

    /// <summary>A subscriber's buffer; read <see cref="Reader"/>, check <see cref="Dropped"/>.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly TaskEventHub _hub;
        private readonly long _id;
        private readonly Channel<TaskEvent> _channel;
        private long _dropped;

        internal Subscription(TaskEventHub hub, long id, int bufferSize)
        {
            _hub = hub;
            _id = id;
            _channel = Channel.CreateBounded<TaskEvent>(new BoundedChannelOptions(bufferSize)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = false,
            });
        }

        public ChannelReader<TaskEvent> Reader => _channel.Reader;

        /// <summary>Events lost because the buffer was full.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        public void Dispose()
        {
            _hub._subscribers.TryRemove(_id, out _);
            _channel.Writer.TryComplete();
        }

        internal void Offer(TaskEvent taskEvent)
        {
            if (!_channel.Writer.TryWrite(taskEvent))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }
}
