using Switchyard.Core.Storage;

namespace Switchyard.Storage.Conformance;

/// <summary>
/// One store opened for one test: its engine path, its read side, and a way to close it and open it
/// again on the same data (a restart). Disposing it closes the store and removes its data.
/// </summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<(ITaskStore Store, ITaskQueries Queries)>> _open;
    private readonly Func<ValueTask> _removeData;
    private bool _disposed;

    private StoreUnderTest(
        Func<CancellationToken, Task<(ITaskStore Store, ITaskQueries Queries)>> open,
        Func<ValueTask> removeData,
        (ITaskStore Store, ITaskQueries Queries) opened)
    {
        _open = open;
        _removeData = removeData;
        (Store, Queries) = opened;
    }

    public ITaskStore Store { get; private set; }

    public ITaskQueries Queries { get; private set; }

    /// <summary>How many times the store has been reopened.</summary>
    public int Restarts { get; private set; }

    /// <param name="open">Opens (and initialises) the store on its data; called once now and once per restart.</param>
    /// <param name="removeData">Deletes the store's data after the store is closed for good.</param>
    public static async Task<StoreUnderTest> OpenAsync(
        Func<CancellationToken, Task<(ITaskStore Store, ITaskQueries Queries)>> open,
        Func<ValueTask> removeData,
        CancellationToken cancellationToken)
    {
        try
        {
            return new StoreUnderTest(open, removeData, await open(cancellationToken));
        }
        catch
        {
            await removeData();
            throw;
        }
    }

    /// <summary>Closes the store and opens a new one on the same data, as a process restart would.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await Store.DisposeAsync();
        (Store, Queries) = await _open(cancellationToken);
        Restarts++;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await Store.DisposeAsync();
        }
        finally
        {
            await _removeData();
        }
    }
}
