using Switchyard.Client.Contracts;

namespace Switchyard.Client;

/// <summary>
/// What a submit returned: the task (settled when the wait allowed it), and whether this call stored it
/// (<see cref="Created"/>) or matched an earlier task with the same idempotency key (<see cref="Replayed"/>).
/// </summary>
public sealed record SubmitResult(TaskDto Task, bool Created)
{
    public bool Replayed => !Created;
}
