using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Bench;

/// <summary>The embedded store alone, without HTTP: how much of a REST round trip is the store's.</summary>
internal static class StoreBench
{
    private const int Tasks = 50_000;
    private const int Workers = 16;

    public static async Task<(double Enqueue, double Cycles)> RunAsync(Durability durability)
    {
        var data = Directory.CreateTempSubdirectory("switchyard-storebench-").FullName;
        try
        {
            var store = new SqliteTaskStore(new SqliteDatabase(new SqliteStoreOptions { DataDirectory = data, Durability = durability, CheckpointFrames = BenchSettings.Int("Sqlite:CheckpointFrames") }),
                TimeProvider.System, NullLogger<SqliteTaskStore>.Instance);
            await using (store)
            {
                await store.InitializeAsync(CancellationToken.None);
                var now = TimeProvider.System.GetUtcNow();
                var clock = Stopwatch.StartNew();
                await Parallel.ForAsync(0, Tasks / 1000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (b, ct) =>
                {
                    var batch = Enumerable.Range(0, 1000).Select(i => new TaskRecord
                    {
                        Id = Guid.CreateVersion7().ToString(),
                        Type = "store",
                        State = TaskState.Queued,
                        Payload = new JsonText(((b * 1000) + i).ToString(CultureInfo.InvariantCulture)),
                        CreatedAt = now,
                        UpdatedAt = now,
                    }).ToArray();
                    var result = await store.EnqueueAsync(new EnqueueRequest(batch, new Dictionary<string, int>(), "bench"), ct);
                    if (!result.IsSuccess)
                    {
                        throw new InvalidOperationException(result.Error.Message);
                    }
                });
                var enqueue = Tasks / clock.Elapsed.TotalSeconds;

                var done = 0;
                clock.Restart();
                await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
                {
                    var claim = new ClaimRequest($"w{w}", ["default"], [], [], 32, null, 30_000);
                    while (Volatile.Read(ref done) < Tasks)
                    {
                        var claimed = await store.ClaimAsync(claim, CancellationToken.None);
                        if (claimed.Claimed.Count == 0)
                        {
                            return;
                        }

                        await Task.WhenAll(claimed.Claimed.Select(async c =>
                        {
                            var outcome = await store.CompleteAsync(new CompleteRequest(c.Task.Id, c.Task.Lease!.Token, c.Task.Payload, 60_000, null), CancellationToken.None);
                            if (!outcome.IsSuccess)
                            {
                                throw new InvalidOperationException(outcome.Error.Message);
                            }

                            Interlocked.Increment(ref done);
                        }));
                    }
                }));
                return (enqueue, Tasks / clock.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
