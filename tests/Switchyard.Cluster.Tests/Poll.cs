namespace Switchyard.Cluster.Tests;

/// <summary>
/// Waits for state that lives in another process or in the database (another node's answers, rows a node's background
/// loop writes), where there is no signal to await: it asks again every <see cref="Interval"/> until the condition
/// holds, failing after the bound.
/// </summary>
internal static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        while (!await condition())
        {
            await Task.Delay(Interval, timeout.Token);
        }
    }
}
