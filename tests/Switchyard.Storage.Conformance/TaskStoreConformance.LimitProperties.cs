using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Core.Queues;

namespace Switchyard.Storage.Conformance;

public abstract partial class TaskStoreConformance
{
    private static readonly Gen<LimitSettings> LimitSettingsGen = Gen.Select(
        Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.OneOf(Gen.Const(100L), Gen.Const(500L), Gen.Const(1_000L)), Gen.Int[1, 2],
        (maxRunning, concurrency, rateTasks, rateMs, groupTasks) =>
            new LimitSettings(maxRunning, concurrency, new RateLimit(rateTasks, rateMs), new RateLimit(groupTasks, 1_000)));

    private static readonly Gen<StoreOp[]> LimitRuns = Gen.Select(
        Gen.Frequency((5, Gen.Const(StoreOpKind.Claim)), (3, Gen.Const(StoreOpKind.Complete)), (2, Gen.Const(StoreOpKind.AdvanceClock))),
        Gen.Int[0, 99], Gen.Int[0, 99], (kind, a, b) => new StoreOp(kind, a, b)).Array[1, 40];

    [Fact]
    public async Task Claim_AnyClaimCompleteClockSequence_LimitsNeverExceededAndNothingStuck()
    {
        var cancellationToken = Ct;

        var sample = Gen.Select(LimitSettingsGen, LimitRuns).SampleAsync(
            async run =>
            {
                var (limits, operations) = run;
                var time = new FakeTimeProvider(Start);
                var sut = await CreateStoreAsync(time, cancellationToken).WaitAsync(Bound, cancellationToken);
                try
                {
                    await new LimitRun(sut, time, limits, cancellationToken).RunAsync(operations);
                }
                finally
                {
                    await sut.DisposeAsync().AsTask().WaitAsync(Bound, cancellationToken);
                }
            },
            iter: 40,
            threads: 2,
            print: run => $"{run.Item1}: {string.Join(", ", run.Item2.AsEnumerable())}");

        await sample.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
    }
}
