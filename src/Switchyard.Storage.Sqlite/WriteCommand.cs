namespace Switchyard.Storage.Sqlite;

/// <summary>Work for the writer thread: runs inside a shared transaction, answers its caller only after the commit.</summary>
internal abstract class WriteCommand
{
    /// <summary>Run alone between batches, outside any transaction (see <see cref="SoloCommand{T}"/>).</summary>
    public virtual bool OutsideTransaction => false;

    public abstract void Execute(WriterContext context);

    public abstract void Acknowledge();

    public abstract void Fault(Exception exception);
}

/// <summary>A write that returns a value to its caller once it is durable.</summary>
internal sealed class WriteCommand<T>(Func<WriterContext, T> work) : WriteCommand
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Completion => _completion.Task;

    public override void Execute(WriterContext context) => _result = work(context);

    public override void Acknowledge() => _completion.TrySetResult(_result!);

    public override void Fault(Exception exception) => _completion.TrySetException(exception);
}
