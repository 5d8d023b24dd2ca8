namespace Switchyard.Cluster.Tests;

/// <summary>
/// Waits for state that lives in another process or in the database (another node's answers, rows a node's background
/// loop writes), where there is no signal to await: it asks again every <see cref="Interval"/> until the condition
/// holds, failing after the bound. A failure carries the last lines the given nodes wrote, which say why they never
/// got there.
/// </summary>
internal static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, CancellationToken cancellationToken, params ServerNode[] nodes)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        try
        {
            while (!await condition())
            {
                await Task.Delay(Interval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var outputs = nodes.Select((node, i) => $"--- node {i} ({node.BaseAddress}) ---\n{node.OutputTail()}");
            throw new TimeoutException($"the condition did not hold within {bound}\n{string.Join('\n', outputs)}");
        }
    }
}
