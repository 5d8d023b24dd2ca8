namespace Switchyard.Storage.Sqlite;

/// <summary>
/// Work the writer runs alone, outside any transaction, between two batches (SQLite's <c>VACUUM</c> and checkpoints
/// cannot run inside one). Every other write waits until it ends.
/// </summary>
internal sealed class SoloCommand<T>(Func<WriterContext, T> work) : WriteCommand
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public override bool OutsideTransaction => true;

    public Task<T> Completion => _completion.Task;

    public override void Execute(WriterContext context) => _result = work(context);

    public override void Acknowledge() => _completion.TrySetResult(_result!);

    public override void Fault(Exception exception) => _completion.TrySetException(exception);
}
