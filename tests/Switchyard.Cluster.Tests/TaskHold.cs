using System.Collections.Concurrent;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// Makes a worker's handler keep the tasks it is given once <see cref="Start"/>ed: they stay leased and running (the
/// worker heartbeats them) until the worker loses them (its connection to the node ends, which cancels the handler) or
/// <see cref="Release"/> lets them go. <see cref="Enough"/> completes once <paramref name="enough"/> tasks are held.
/// </summary>
internal sealed class TaskHold(int enough)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _holding;

    /// <summary>The tasks held so far.</summary>
    public IReadOnlyCollection<string> Held => [.. _held.Keys];

    public Task Enough => _enough.Task;

    public void Start() => Volatile.Write(ref _holding, 1);

    public void Release() => _released.TrySetResult();

    /// <summary>Returns at once until <see cref="Start"/>; then holds the task until released or <paramref name="cancellationToken"/> fires.</summary>
    public async Task KeepAsync(string taskId, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _holding) == 0)
        {
            return;
        }

        _held[taskId] = 0;
        if (_held.Count >= enough)
        {
            _enough.TrySetResult();
        }

        await _released.Task.WaitAsync(Bound, cancellationToken);
    }
}
