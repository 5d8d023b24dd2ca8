using Switchyard.Core.Model;

namespace Switchyard.Worker;

/// <summary>
/// Runs tasks of the types it is registered for. The result is the task's JSON result; a thrown
/// <see cref="TaskFailedException"/> fails the attempt as classified, any other exception fails it as retryable.
/// <paramref name="cancellationToken"/> fires when the task is cancelled, its lease is lost or the worker stops.
/// </summary>
public interface ITaskHandler
{
    Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken);
}
