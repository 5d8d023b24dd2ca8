using System.Collections.Concurrent;
using System.Threading.Channels;
using Switchyard.Core.Model;

namespace Switchyard.Core.Dispatch;

/// <summary>
/// Every progress report of a task, unthrottled and in order, for in-process readers that need them
/// all (a streamed chat completion is a sequence of progress reports). Bounded per reader: a reader
/// that falls 10,000 reports behind loses the rest and sees its channel fail.
/// </summary>
public sealed class ProgressFeed
{
    public const int BufferSize = 10_000;

    private readonly ConcurrentDictionary<string, Channel<TaskProgress>[]> _readers = new(StringComparer.Ordinal);

    /// <summary>Starts receiving the progress of <paramref name="taskId"/>; dispose to stop.</summary>
    public Subscription Subscribe(string taskId)
    {
        var channel = Channel.CreateBounded<TaskProgress>(new BoundedChannelOptions(BufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _readers.AddOrUpdate(taskId, _ => [channel], (_, list) => [.. list, channel]);
        return new Subscription(this, taskId, channel);
    }

    public bool HasReaders(string taskId) => _readers.ContainsKey(taskId);

    public void Publish(string taskId, TaskProgress progress)
    {
        if (!_readers.TryGetValue(taskId, out var channels))
        {
            return;
        }

        foreach (var channel in channels)
        {
            if (!channel.Writer.TryWrite(progress))
            {
                channel.Writer.TryComplete(new InvalidOperationException("The progress reader fell too far behind."));
            }
        }
    }

    private void Remove(string taskId, Channel<TaskProgress> channel)
    {
        while (_readers.TryGetValue(taskId, out var list))
        {
            var rest = Array.FindAll(list, c => !ReferenceEquals(c, channel));
            var done = rest.Length == 0
                ? _readers.TryRemove(new KeyValuePair<string, Channel<TaskProgress>[]>(taskId, list))
                : _readers.TryUpdate(taskId, rest, list);
            if (done)
            {
                return;
            }
        }
    }

    /// <summary>One reader of one task's progress.</summary>
    public sealed class Subscription(ProgressFeed feed, string taskId, Channel<TaskProgress> channel) : IDisposable
    {
        public ChannelReader<TaskProgress> Reader => channel.Reader;

        public void Dispose()
        {
            feed.Remove(taskId, channel);
            channel.Writer.TryComplete();
        }
    }
}
