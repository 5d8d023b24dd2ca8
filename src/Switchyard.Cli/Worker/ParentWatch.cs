namespace Switchyard.Cli.Worker;

/// <summary>
/// A pool's child worker reads its stdin, a pipe from the pool; end of input means the pool is gone (even killed),
/// and the child stops as on SIGTERM instead of running on as an orphan.
/// </summary>
internal static class ParentWatch
{
    /// <summary>Set by the pool in its children's environment.</summary>
    public const string Variable = "SWITCHYARD_POOL_CHILD";

    /// <summary>A token that fires with <paramref name="stopping"/> or when <paramref name="input"/> ends.</summary>
    public static CancellationTokenSource Link(TextReader input, CancellationToken stopping)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _ = Task.Run(async () =>
        {
            var buffer = new char[256];
            try
            {
                while (await input.ReadAsync(buffer, linked.Token) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                await linked.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The worker already ended.
            }
        }, CancellationToken.None);
        return linked;
    }
}
