using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

/// <summary>Waits on leadership: each look is taken after arming a wait for the next change, so no change is missed.</summary>
internal static class Leaders
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails after <paramref name="bound"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan bound, CancellationToken cancellationToken, params PgLeadership[] watched)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        while (true)
        {
            var changed = Task.WhenAny(watched.Select(l => l.Changed));
            if (condition())
            {
                return;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }
}
