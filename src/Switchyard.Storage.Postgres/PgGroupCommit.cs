using System.Threading.Channels;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// One flow that applies whatever has queued up, as one batch per transaction: the first item goes at once, and under
/// load a batch grows while the previous one commits (up to <c>maxWeight</c>, each item weighing what
/// <c>weigh</c> says). The flow starts with the first item; <see cref="CloseAsync"/> stops taking items and waits until
/// those queued are applied.
/// </summary>
internal sealed class PgGroupCommit<T>(Func<List<T>, Task> apply, Func<T, int> weigh, int maxWeight)
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private Task? _loop;

    /// <summary>Queues <paramref name="item"/>; false once closed.</summary>
    public bool TryPost(T item)
    {
        lock (_gate)
        {
            _loop ??= Task.Run(LoopAsync, CancellationToken.None);
        }

        return _items.Writer.TryWrite(item);
    }

    public async Task CloseAsync()
    {
        _items.Writer.TryComplete();
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop; // what was queued is applied first
        }
    }

    private async Task LoopAsync()
    {
        var batch = new List<T>();
        while (await _items.Reader.WaitToReadAsync())
        {
            var weight = 0;
            while (weight < maxWeight && _items.Reader.TryRead(out var item))
            {
                batch.Add(item);
                weight += weigh(item);
            }

            await apply(batch);
            batch.Clear();
        }
    }
}
