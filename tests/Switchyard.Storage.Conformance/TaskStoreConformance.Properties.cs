using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    private static readonly Gen<StoreOpKind> OpKinds = Gen.Frequency(
        (5, Gen.Const(StoreOpKind.Enqueue)),
        (5, Gen.Const(StoreOpKind.Claim)),
        (3, Gen.Const(StoreOpKind.Complete)),
        (2, Gen.Const(StoreOpKind.FailRetryable)),
        (1, Gen.Const(StoreOpKind.FailFatal)),
        (1, Gen.Const(StoreOpKind.Heartbeat)),
        (2, Gen.Const(StoreOpKind.Cancel)),
        (2, Gen.Const(StoreOpKind.Retry)),
        (3, Gen.Const(StoreOpKind.AdvanceClock)),
        (2, Gen.Const(StoreOpKind.ExpireLeases)),
        (1, Gen.Const(StoreOpKind.PromoteScheduled)),
        (1, Gen.Const(StoreOpKind.FailOverdue)),
        (1, Gen.Const(StoreOpKind.Restart)),
        (2, Gen.Const(StoreOpKind.Accept)),
        (2, Gen.Const(StoreOpKind.Reject)),
        (1, Gen.Const(StoreOpKind.ClaimReview)));

    private static readonly Gen<StoreOp[]> Runs =
        Gen.Select(OpKinds, Gen.Int[0, 99], Gen.Int[0, 99], (kind, a, b) => new StoreOp(kind, a, b)).Array[1, 30];

    [Fact]
    public async Task Store_AnyOperationSequence_KeepsEveryInvariant()
    {
        var cancellationToken = Ct;

        var sample = Runs.SampleAsync(
            async operations =>
            {
                var time = new FakeTimeProvider(Start);
                var sut = await CreateStoreAsync(time, cancellationToken).WaitAsync(Bound, cancellationToken);
                try
                {
                    await new StoreOperationRun(sut, time, cancellationToken).RunAsync(operations);
                }
                finally
                {
                    await sut.DisposeAsync().AsTask().WaitAsync(Bound, cancellationToken);
                }
            },
            iter: 100,
            threads: 2,
            print: operations => string.Join(", ", operations));

        // Every store call inside is bounded; this only stops a run that makes no progress at all.
        await sample.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
    }
}
