using Switchyard.Core.Model;

namespace Switchyard.Worker.Tests;

/// <summary>Wraps a handler and tells when it started and when it returned (or threw).</summary>
internal sealed class SignallingHandler(ITaskHandler inner) : ITaskHandler
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        try
        {
            return await inner.HandleAsync(context, cancellationToken);
        }
        finally
        {
            Ended.TrySetResult();
        }
    }
}
